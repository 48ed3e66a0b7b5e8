package org.ohifgateway.viewer;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

/**
 * OHIF routes in the browser (/viewer?StudyInstanceUIDs=..., /viewer/1.2.840...) are not
 * files: a browser navigating to one gets index.html, while a missing script or image stays 404.
 */
public class SpaFallbackFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean staticFile = request.getHttpServletMapping().getMappingMatch() == MappingMatch.DEFAULT;
        if (staticFile
                && SpaRoutes.isNavigation(request.getMethod(), request.getHeader("Accept"), request.getHeader("Sec-Fetch-Mode"))
                && getServletContext().getResource(request.getServletPath()) == null) {
            request.getRequestDispatcher("/index.html").forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
