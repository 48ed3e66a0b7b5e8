package org.ohifgateway.viewer;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * OHIF routes in the browser (/viewer?StudyInstanceUIDs=..., /viewer/1.2.840...) are not
 * files: a browser navigating to one gets index.html, while a missing script or image stays 404.
 */
public class SpaFallbackFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Mapped to the container's servlet for files only (web.xml).
        if (SpaRoutes.isNavigation(request.getMethod(), request.getHeader("Accept"), request.getHeader("Sec-Fetch-Mode"))
                && getServletContext().getResource(request.getServletPath()) == null) {
            request.getRequestDispatcher("/index.html").forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
