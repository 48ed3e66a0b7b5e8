package org.ohifgateway.pacs;

import jakarta.servlet.http.HttpServletRequest;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.security.CanonicalPath;
import org.ohifgateway.security.RejectedRequest;
import org.ohifgateway.upstream.OrthancProxyServlet;

/** /pacs/*: Orthanc's DICOMweb API (QIDO-RS, WADO-RS, WADO-URI, STOW-RS). */
public class DicomWebProxyServlet extends OrthancProxyServlet {

    @Override
    protected String upstreamBasePath(GatewayConfig config, String contextPath) {
        String root = config.dicomWebRoot(contextPath);
        return root.substring(0, root.length() - 1);
    }

    @Override
    protected void checkRoute(HttpServletRequest request, CanonicalPath path) throws RejectedRequest {
        DicomWebRoutes.check(request.getMethod(), path.segments());
    }
}
