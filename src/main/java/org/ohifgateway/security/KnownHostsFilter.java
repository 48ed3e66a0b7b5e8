package org.ohifgateway.security;

import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.ErrorReply;
import org.ohifgateway.http.PublicOrigin;

/** Refuses (400) requests that name a host the gateway does not answer to (see {@link KnownHosts}). */
public class KnownHostsFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(KnownHostsFilter.class.getName());

    @Inject
    private GatewayConfig config;

    private KnownHosts hosts;

    @Override
    public void init() {
        Set<PublicOrigin> origins = config.publicOrigins();
        hosts = new KnownHosts(origins);
        if (origins.isEmpty()) {
            LOG.warning("gateway.public-origins is not set: only requests to localhost, 127.0.0.1 and [::1] are"
                    + " answered. List the addresses clients use, e.g. https://pacs.hospital.example");
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<String> refusal = hosts.refusal(request.getScheme(), request.getServerName(), request.getServerPort(),
                Collections.list(request.getHeaders("Host")).size());
        if (refusal.isPresent()) {
            ErrorReply.send(request, response, HttpServletResponse.SC_BAD_REQUEST, refusal.get());
            return;
        }
        chain.doFilter(request, response);
    }
}
