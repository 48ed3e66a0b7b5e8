package org.ohifgateway.http;

import java.util.List;
import java.util.Locale;

/**
 * Where a request says its body ends (RFC 9112 section 6). The server and a proxy in front of it
 * must agree on that, or the rest of one request is read as the next (request smuggling), and a
 * body the server does not read is lost while the upload is answered with success. The server
 * (Grizzly) reads a Transfer-Encoding it does not take for chunked as "no body", and takes any
 * value that starts with "chunked" for chunked; so only framing that every reader reads alike
 * passes: no framing header, exactly one Content-Length, or a Transfer-Encoding of exactly
 * {@code chunked} in HTTP/1.1.
 */
public final class RequestFraming {

    private static final String CHUNKED = "chunked";
    /** RFC 9110 token characters besides letters and digits. */
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private RequestFraming() {
    }

    /** What becomes of a request: refused (null: not), and whether its connection ends with the answer. */
    public record Verdict(RejectedRequest refusal, boolean endsConnection) {
    }

    /**
     * Refuses a request whose end is in doubt (400, or 501 for a transfer coding other than
     * chunked) and ends its connection. The connection of a chunked request in HTTP/1.1 ends with
     * the answer as well: the server drops a Content-Length that came before
     * {@code Transfer-Encoding: chunked} without a word, so a request that had both looks like
     * this one, and RFC 9112 requires closing after such a request. Over HTTP/2 each request has
     * its own stream, and the connection goes on.
     *
     * @param protocol          the request's protocol, such as HTTP/1.1 or HTTP/2.0
     * @param method            the method as the server parsed it (leftovers of a previous body end up here)
     * @param transferEncodings every Transfer-Encoding header value, as the server passes them on
     * @param contentLengths    every Content-Length header value
     */
    public static Verdict of(String protocol, String method, List<String> transferEncodings,
                             List<String> contentLengths) {
        boolean http1 = protocol != null && protocol.startsWith("HTTP/1.");
        try {
            check(protocol, method, transferEncodings, contentLengths);
        } catch (RejectedRequest refusal) {
            return new Verdict(refusal, http1);
        }
        return new Verdict(null, http1 && !transferEncodings.isEmpty());
    }

    static void check(String protocol, String method, List<String> transferEncodings, List<String> contentLengths)
            throws RejectedRequest {
        if (!isToken(method)) {
            throw new RejectedRequest(400, "The request line is malformed.");
        }
        if (!transferEncodings.isEmpty()) {
            if (!contentLengths.isEmpty()) {
                throw new RejectedRequest(400, "A request gives its length once: Content-Length or"
                        + " Transfer-Encoding: chunked, not both.");
            }
            if (!"HTTP/1.1".equals(protocol)) {
                throw new RejectedRequest(400, "Transfer-Encoding is only part of HTTP/1.1.");
            }
            if (transferEncodings.size() == 1 && CHUNKED.equalsIgnoreCase(transferEncodings.get(0))) {
                return;
            }
            if (namesAnotherCoding(transferEncodings)) {
                throw new RejectedRequest(501, "The only transfer coding accepted is chunked.");
            }
            throw new RejectedRequest(400, "Transfer-Encoding must be exactly chunked.");
        }
        if (contentLengths.size() > 1) {
            throw new RejectedRequest(400, "A request gives one Content-Length.");
        }
        if (contentLengths.size() == 1 && !contentLengths.get(0).matches("[0-9]{1,18}")) {
            throw new RejectedRequest(400, "Content-Length must be a number.");
        }
    }

    /** Whether a transfer coding well formed but other than chunked is named (a header's list, RFC 9112 6.1). */
    private static boolean namesAnotherCoding(List<String> transferEncodings) {
        for (String value : transferEncodings) {
            for (String element : value.split(",", -1)) {
                String coding = element.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (isToken(coding) && !coding.equals(CHUNKED)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isToken(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = c < 128 && Character.isLetterOrDigit(c);
            if (!alphanumeric && TCHAR_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
