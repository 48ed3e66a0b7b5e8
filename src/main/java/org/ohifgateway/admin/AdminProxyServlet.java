package org.ohifgateway.admin;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.upstream.OrthancProxyServlet;

/** /pacs-admin/*: Orthanc Explorer and Orthanc's REST API, for administrators. */
public class AdminProxyServlet extends OrthancProxyServlet {

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
