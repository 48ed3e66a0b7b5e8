package org.ohifgateway.admin;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.security.CanonicalPath;
import org.ohifgateway.security.RejectedRequest;
import org.ohifgateway.upstream.OrthancProxyServlet;

/** /pacs-admin/*: Orthanc Explorer and Orthanc's REST API, for administrators. */
public class AdminProxyServlet extends OrthancProxyServlet {

    private AdminRoutePolicy denied;

    @Override
    public void init() throws ServletException {
        super.init();
        denied = new AdminRoutePolicy(config().deniedAdminRoutes(getServletContext().getContextPath()));
    }

    @Override
    protected void checkRoute(HttpServletRequest request, CanonicalPath path) throws RejectedRequest {
        denied.check(request.getMethod(), "/" + String.join("/", path.segments()));
    }

    @Override
    protected String upstreamBasePath(GatewayConfig config, String contextPath) {
        return "";
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getPathInfo() == null) {
            // Orthanc answers its root with a relative redirect, which only resolves below a slash.
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        super.service(request, response);
    }
}
