package org.ohifgateway.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;

/** Adds {@link SecurityHeaders} to every answer, including error pages. */
public class SecurityHeadersFilter extends HttpFilter {

    private SecurityHeaders headers;

    @Override
    public void init() {
        headers = new SecurityHeaders(GatewayConfig.fromMicroProfile());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // An error page is dispatched with its own path; the headers follow the path that failed.
        Object failedUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = failedUri != null ? failedUri.toString() : request.getRequestURI();
        String path = uri.startsWith(request.getContextPath()) ? uri.substring(request.getContextPath().length()) : uri;
        headers.forPath(path, request.isSecure()).forEach(response::setHeader);
        chain.doFilter(request, response);
    }
}
