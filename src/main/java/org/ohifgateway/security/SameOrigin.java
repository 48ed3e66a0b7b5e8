package org.ohifgateway.security;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Browsers send stored BASIC credentials with any request to the gateway, including ones a
 * foreign page makes them send. A state-changing request is therefore only accepted when its
 * Origin (or, lacking that, its Referer) is the gateway's own origin.
 */
public final class SameOrigin {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private SameOrigin() {
    }

    /**
     * @param ownOrigin the gateway's origin as the client reached it, e.g. {@code https://pacs.example:8443}
     * @return why the request is refused, if it is
     */
    public static Optional<String> refusal(String method, String origin, String referer, String ownOrigin) {
        if (SAFE_METHODS.contains(method)) {
            return Optional.empty();
        }
        String claimed = origin != null && !origin.equals("null") ? origin : originOf(referer);
        if (claimed == null) {
            return Optional.of("Changes need an Origin or Referer header from this site.");
        }
        if (!claimed.toLowerCase(Locale.ROOT).equals(ownOrigin.toLowerCase(Locale.ROOT))) {
            return Optional.of("Changes from another site are refused.");
        }
        return Optional.empty();
    }

    private static String originOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port < 0 || port == ("https".equals(scheme) ? 443 : 80);
            return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
