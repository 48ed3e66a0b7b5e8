package org.ohifgateway.upstream;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the gateway. Hop-by-hop headers (RFC 9110 section 7.6.1), including any the
 * peer names in its own Connection header, never cross; the user's credentials and cookies
 * never reach Orthanc; forwarding headers from the client are not trusted; Orthanc's own login
 * challenge and server banner never reach the browser.
 */
public final class HeaderPolicy {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "trailers",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

    /** Credentials, framing, client claims about the origin, and method overrides (Orthanc obeys them). */
    private static final Set<String> NOT_TO_UPSTREAM = Set.of(
            "authorization", "cookie", "host", "content-length", "expect",
            "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
            "x-forwarded-port", "x-forwarded-prefix", "x-real-ip",
            "x-http-method-override", "x-http-method", "x-method-override");

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
        return !isHopByHop(lower) && !NOT_TO_UPSTREAM.contains(lower);
    }

    public boolean toClient(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !isHopByHop(lower) && !NOT_TO_CLIENT.contains(lower);
    }

    private boolean isHopByHop(String lowerName) {
        return HOP_BY_HOP.contains(lowerName) || connectionTokens.contains(lowerName);
    }
}
