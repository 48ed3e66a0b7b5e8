package org.ohifgateway.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path below a proxied route, decoded once by the gateway and checked segment by
 * segment. Orthanc decodes and normalises paths again on its side (so {@code ..%2F} or
 * {@code %2e%2e} would climb out of the DICOMweb root), therefore anything that could mean
 * something different after a second decoding is refused instead of forwarded.
 */
public final class CanonicalPath {

    private final List<String> segments;
    private final boolean trailingSlash;

    private CanonicalPath(List<String> segments, boolean trailingSlash) {
        this.segments = List.copyOf(segments);
        this.trailingSlash = trailingSlash;
    }

    /**
     * @param rawUri the request URI exactly as the client sent it (not decoded)
     * @param routePrefix the literal prefix of the route, e.g. {@code /ohif/pacs}
     */
    public static CanonicalPath parse(String rawUri, String routePrefix) throws RejectedRequest {
        if (!rawUri.startsWith(routePrefix)) {
            throw new RejectedRequest(400, "the route must be spelled literally");
        }
        String rest = rawUri.substring(routePrefix.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return new CanonicalPath(List.of(), !rest.isEmpty());
        }
        if (rest.charAt(0) != '/') {
            throw new RejectedRequest(400, "unexpected text after the route");
        }
        boolean trailingSlash = rest.endsWith("/");
        String body = rest.substring(1, trailingSlash ? rest.length() - 1 : rest.length());
        List<String> segments = new ArrayList<>();
        for (String raw : body.split("/", -1)) {
            segments.add(checkedSegment(raw));
        }
        return new CanonicalPath(segments, trailingSlash);
    }

    public List<String> segments() {
        return segments;
    }

    /** Whether the path ends with a slash, i.e. an empty last segment. */
    public boolean trailingSlash() {
        return trailingSlash;
    }

    /** The path re-encoded from the checked segments, starting with "/" (or empty). */
    public String encoded() {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(encodeSegment(segment));
        }
        if (trailingSlash) {
            path.append('/');
        }
        return path.toString();
    }

    private static String checkedSegment(String raw) throws RejectedRequest {
        if (raw.isEmpty()) {
            throw new RejectedRequest(400, "empty path segment");
        }
        if (raw.indexOf(';') >= 0) {
            throw new RejectedRequest(400, "path parameters (;) are not allowed");
        }
        String decoded = percentDecode(raw);
        if (decoded.equals(".") || decoded.equals("..")) {
            throw new RejectedRequest(400, "dot segments are not allowed");
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '/' || c == '\\' || c == ';' || c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                throw new RejectedRequest(400, "forbidden character in path segment");
            }
        }
        if (!decoded.equals(raw) && decoded.contains("%")) {
            throw new RejectedRequest(400, "double-encoded path segment");
        }
        return decoded;
    }

    private static String percentDecode(String raw) throws RejectedRequest {
        if (raw.indexOf('%') < 0) {
            checkAscii(raw);
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new RejectedRequest(400, "truncated percent-escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new RejectedRequest(400, "invalid percent-escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                checkAscii(String.valueOf(c));
                bytes.write(c);
            }
        }
        try {
            // A strict decoder refuses overlong and other malformed UTF-8, which some servers
            // would otherwise turn into '.' or '/'.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new RejectedRequest(400, "path is not valid UTF-8");
        }
    }

    private static void checkAscii(String raw) throws RejectedRequest {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 0x7e || raw.charAt(i) <= 0x20) {
                throw new RejectedRequest(400, "unencoded character in path");
            }
        }
    }

    /** Unreserved characters (RFC 3986) as they are, everything else percent-encoded. */
    private static String encodeSegment(String segment) {
        return PercentEncoding.encode(segment, c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~".indexOf(c) >= 0);
    }
}
