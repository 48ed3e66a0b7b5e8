package org.ohifgateway.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client as a trusted reverse proxy in front of the gateway reports it (X-Forwarded-For,
 * -Proto, -Host). Only a proxy the deployment names is believed; anyone else could claim any
 * address, and with it another address's login failures, or put any host into Orthanc's URLs.
 *
 * @param address the client's IP address
 * @param scheme  http or https, as the client reached the proxy
 * @param host    the host name the client used
 * @param port    the port the client used
 */
public record ForwardedClient(String address, String scheme, String host, int port) {

    private static final Pattern IP = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]{2,45}");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(?::([0-9]{1,5}))?");

    /** What the request says when it came through a trusted proxy; empty when it did not. */
    public static Optional<ForwardedClient> of(String peer, Set<String> trustedProxies, List<String> forwardedFor,
                                               String forwardedProto, String forwardedHost) {
        if (!trustedProxies.contains(peer)) {
            return Optional.empty();
        }
        String scheme = "https".equalsIgnoreCase(first(forwardedProto)) ? "https"
                : "http".equalsIgnoreCase(first(forwardedProto)) ? "http" : null;
        var hostPort = forwardedHost == null ? null : HOST_PORT.matcher(first(forwardedHost));
        if (scheme == null || hostPort == null || !hostPort.matches()) {
            // A proxy that does not say how it was reached is a misconfiguration: believe none of it.
            return Optional.empty();
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = hostPort.group(2) == null ? defaultPort : Integer.parseInt(hostPort.group(2));
        return Optional.of(new ForwardedClient(clientAddress(peer, trustedProxies, forwardedFor), scheme,
                hostPort.group(1).toLowerCase(Locale.ROOT), port > 0 && port < 65536 ? port : defaultPort));
    }

    /** The right-most address that is not one of the trusted proxies: the one the first of them saw. */
    private static String clientAddress(String peer, Set<String> trustedProxies, List<String> forwardedFor) {
        List<String> chain = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",")) {
                chain.add(entry.trim());
            }
        }
        String client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String entry = chain.get(i);
            if (!IP.matcher(entry).matches()) {
                break;
            }
            client = entry;
            if (!trustedProxies.contains(entry)) {
                break;
            }
        }
        return client;
    }

    private static String first(String headerValue) {
        if (headerValue == null) {
            return "";
        }
        int comma = headerValue.indexOf(',');
        return (comma < 0 ? headerValue : headerValue.substring(0, comma)).trim();
    }
}
