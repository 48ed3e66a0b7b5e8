package org.ohifgateway.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.viewer.IndexServlet;

/** Adds {@link SecurityHeaders} to every answer, including error pages. */
public class SecurityHeadersFilter extends HttpFilter {

    private SecurityHeaders headers;

    @Override
    public void init() throws ServletException {
        GatewayConfig config = GatewayConfig.fromMicroProfile();
        List<String> indexScripts;
        try {
            // Hashes of the page as served: under a sub-path its inline scripts differ from the build's.
            indexScripts = InlineScripts.hashSources(IndexServlet.renderedPage(getServletContext()));
        } catch (IOException e) {
            throw new ServletException("Cannot read index.html", e);
        }
        headers = new SecurityHeaders(InlineScripts.allow(config.viewerContentSecurityPolicy(), indexScripts),
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
