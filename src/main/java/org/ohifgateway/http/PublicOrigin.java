package org.ohifgateway.http;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/** The scheme, host and port the client used to reach the gateway. */
public record PublicOrigin(String scheme, String hostAndPort) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");

    public static PublicOrigin of(HttpServletRequest request) {
        return of(request.getScheme(), request.getServerName(), request.getServerPort());
    }

    static PublicOrigin of(String scheme, String host, int port) {
        String safeScheme = "https".equalsIgnoreCase(scheme) ? "https" : "http";
        // The host ends up inside URLs Orthanc writes; anything odd is replaced, never echoed.
        String safeHost = host != null && HOST.matcher(host).matches() ? host : "localhost";
        boolean defaultPort = port <= 0 || port == ("https".equals(safeScheme) ? 443 : 80);
        return new PublicOrigin(safeScheme, defaultPort ? safeHost : safeHost + ":" + port);
    }
}
