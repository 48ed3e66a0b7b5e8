package org.ohifgateway.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/** The scheme, host and port the client used to reach the gateway. */
public record PublicOrigin(String scheme, String hostAndPort) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");

    public static PublicOrigin of(HttpServletRequest request) {
        return of(request.getScheme(), request.getServerName(), request.getServerPort());
    }

    static PublicOrigin of(String scheme, String host, int port) {
        // The host ends up inside URLs Orthanc writes; anything odd is replaced, never echoed.
        return exactly(scheme, host, port).orElseGet(() -> exactly(scheme, "localhost", port).orElseThrow());
    }

    /** The origin with this host, or empty when the host is no plain host name or address. */
    public static Optional<PublicOrigin> exactly(String scheme, String host, int port) {
        if (host == null || !HOST.matcher(host).matches()) {
            return Optional.empty();
        }
        String safeScheme = "https".equalsIgnoreCase(scheme) ? "https" : "http";
        boolean defaultPort = port <= 0 || port == ("https".equals(safeScheme) ? 443 : 80);
        return Optional.of(new PublicOrigin(safeScheme, defaultPort ? host : host + ":" + port));
    }

    /**
     * An origin as a setting names it, {@code scheme://host[:port]}, the host in lower case.
     *
     * @throws IllegalArgumentException when it is anything else
     */
    public static PublicOrigin parse(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not an origin: " + origin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!scheme.matches("https?") || uri.getHost() == null || !bare) {
            throw new IllegalArgumentException("not an origin such as https://pacs.hospital.example:8443: " + origin);
        }
        return exactly(scheme, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort())
                .orElseThrow(() -> new IllegalArgumentException("not a plain host name or address: " + origin));
    }

    /** As browsers write it in the Origin header. */
    @Override
    public String toString() {
        return scheme + "://" + hostAndPort;
    }
}
