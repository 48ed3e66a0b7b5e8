package org.ohifgateway.upstream;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the gateway. Towards Orthanc only an allowlist: what DICOMweb and Orthanc
 * Explorer need (content negotiation, conditional requests, ranges, the body's type), so that no
 * credential, cookie, claim about the client's origin or identity (which Orthanc's authorization
 * plugin and other set-ups may trust) or method override that a client invents gets through.
 * Hop-by-hop headers (RFC 9110 section 7.6.1), including any the peer names in its own Connection
 * header, never cross; Orthanc's own login challenge and server banner never reach the browser.
 */
public final class HeaderPolicy {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "trailers",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

    /** The body's length and coding are the upstream connection's own, set from the body itself. */
    private static final Set<String> TO_UPSTREAM = Set.of(
            "accept", "accept-encoding", "accept-language", "content-type",
            "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range");

    private static final Set<String> NOT_TO_CLIENT = Set.of(
            "www-authenticate", "server", "set-cookie", "set-cookie2", "x-powered-by");

    private final Set<String> connectionTokens;

    private HeaderPolicy(Set<String> connectionTokens) {
        this.connectionTokens = connectionTokens;
    }

    /** @param connectionHeaders the values of the Connection header(s) of the message being copied */
    public static HeaderPolicy forMessage(Iterable<String> connectionHeaders) {
        Set<String> tokens = new TreeSet<>();
        for (String value : connectionHeaders) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    tokens.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new HeaderPolicy(tokens);
    }

    public boolean toUpstream(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return TO_UPSTREAM.contains(lower) && !isHopByHop(lower);
    }

    public boolean toClient(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !isHopByHop(lower) && !NOT_TO_CLIENT.contains(lower);
    }

    private boolean isHopByHop(String lowerName) {
        return HOP_BY_HOP.contains(lowerName) || connectionTokens.contains(lowerName);
    }
}
