package org.ohifgateway.viewer;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.Roles;

/**
 * Requires a gateway user for the viewer's own files, unless {@code gateway.viewer.public}
 * leaves them open. A filter, not a web.xml constraint, so that the choice is a setting rather
 * than an edit of the WAR; the login itself is still the container's BASIC login. web.xml maps it
 * to the viewer's servlets only: the archive routes, the metrics and the load balancer's check
 * have constraints of their own.
 */
public class ViewerAccessFilter extends HttpFilter {

    @Inject
    private GatewayConfig config;

    private boolean filesPublic;

    @Override
    public void init() {
        filesPublic = config.viewerFilesPublic();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!filesPublic) {
            if (request.getUserPrincipal() == null && !login(request, response)) {
                return;
            }
            if (Roles.ALL.stream().noneMatch(request::isUserInRole)) {
                response.sendError(HttpServletResponse.SC_FORBIDDEN);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * The container's BASIC login. WildFly (Elytron) cannot challenge from here for a request
     * without credentials, on a path without a container constraint: it throws instead, and the
     * same challenge for the gateway's realm is sent here.
     */
    private static boolean login(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        try {
            return request.authenticate(response);
        } catch (ServletException notChallenged) {
            if (response.isCommitted()) {
                throw notChallenged;
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + Roles.REALM + "\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return false;
        }
    }
}
