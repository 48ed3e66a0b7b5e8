package org.ohifgateway.security;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;

/** Adds {@link SecurityHeaders} to every answer, including error pages. */
public class SecurityHeadersFilter extends HttpFilter {

    @Inject
    private GatewayConfig config;
    @Inject
    private ViewerPage page;

    private SecurityHeaders headers;

    @Override
    public void init() {
        // Hashes of the page as served: under a sub-path its inline scripts differ from the build's.
        headers = new SecurityHeaders(
                InlineScripts.allow(config.viewerContentSecurityPolicy(), InlineScripts.hashSources(page.html())),
                config.adminContentSecurityPolicy(), config.hstsMaxAgeSeconds());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // An error page is dispatched with its own path; the headers follow the path that failed.
        Object failedUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = failedUri != null ? failedUri.toString() : request.getRequestURI();
        String path = uri.startsWith(request.getContextPath()) ? uri.substring(request.getContextPath().length()) : uri;
        headers.forPath(path, request.isSecure(), request.getHeader("Sec-Fetch-Dest")).forEach(response::setHeader);

        chain.doFilter(request, response);
    }
}
