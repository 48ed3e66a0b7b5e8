package org.ohifgateway.security;

import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;

/**
 * Behind a reverse proxy named in {@code gateway.trusted-proxies}, the rest of the gateway (audit
 * trail, login throttling, same-origin check, the URLs Orthanc writes) sees the client's address,
 * scheme and host as that proxy reports them (see {@link ForwardedClient}).
 */
public class TrustedProxyFilter extends HttpFilter {

    @Inject
    private GatewayConfig config;

    private Set<String> trustedProxies;

    @Override
    public void init() {
        trustedProxies = config.trustedProxies();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<ForwardedClient> client = trustedProxies.isEmpty() ? Optional.empty()
                : ForwardedClient.of(request.getRemoteAddr(), trustedProxies,
                        Collections.list(request.getHeaders("X-Forwarded-For")),
                        request.getHeader("X-Forwarded-Proto"), request.getHeader("X-Forwarded-Host"));
        chain.doFilter(client.<HttpServletRequest>map(forwarded -> new Forwarded(request, forwarded)).orElse(request),
                response);
    }

    private static final class Forwarded extends HttpServletRequestWrapper {

        private final ForwardedClient client;

        Forwarded(HttpServletRequest request, ForwardedClient client) {
            super(request);
            this.client = client;
        }

        @Override
        public String getRemoteAddr() {
            return client.address();
        }

        @Override
        public String getRemoteHost() {
            return client.address();
        }

        @Override
        public String getScheme() {
            return client.scheme();
        }

        @Override
        public boolean isSecure() {
            return client.scheme().equals("https");
        }

        @Override
        public String getServerName() {
            return client.host();
        }

        @Override
        public int getServerPort() {
            return client.port();
        }

        @Override
        public StringBuffer getRequestURL() {
            boolean defaultPort = client.port() == (isSecure() ? 443 : 80);
            return new StringBuffer(client.scheme()).append("://").append(client.host())
                    .append(defaultPort ? "" : ":" + client.port()).append(getRequestURI());
        }
    }
}
