package org.ohifgateway.pacs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.http.HeaderElement;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.NameValuePair;
import org.apache.http.client.methods.AbortableHttpRequest;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.security.CanonicalPath;
import org.ohifgateway.security.RejectedRequest;
import org.ohifgateway.upstream.OrthancProxyServlet;
import org.ohifgateway.upstream.PublicOrigin;

/** /pacs/*: Orthanc's DICOMweb API (QIDO-RS, WADO-RS, WADO-URI, STOW-RS). */
public class DicomWebProxyServlet extends OrthancProxyServlet {

    private static final String ATTR_HEAD = DicomWebProxyServlet.class.getName() + ".head";

    private TransferSyntaxPolicy transferSyntaxes;
    private String orthancRoot;
    private String publicRoot;

    @Override
    public void init() throws ServletException {
        super.init();
        transferSyntaxes = new TransferSyntaxPolicy(config().allowedTransferSyntaxes());
        String contextPath = getServletContext().getContextPath();
        orthancRoot = config().dicomWebRoot(contextPath);
        publicRoot = contextPath + "/pacs/";
    }

    /** Orthanc writes URLs under its own DICOMweb root; when that is not the public path they are rewritten. */
    private boolean rewritesUrls() {
        return !orthancRoot.equals(publicRoot);
    }

    private boolean rewritesBody(HttpResponse proxyResponse) {
        if (!rewritesUrls() || proxyResponse.getEntity() == null || proxyResponse.getEntity().getContentType() == null) {
            return false;
        }
        String type = proxyResponse.getEntity().getContentType().getValue().toLowerCase(Locale.ROOT);
        return type.startsWith("multipart/") ? boundary(proxyResponse) != null : type.contains("json") || type.contains("xml");
    }

    private static String boundary(HttpResponse proxyResponse) {
        HeaderElement[] elements = proxyResponse.getEntity().getContentType().getElements();
        NameValuePair boundary = elements.length == 0 ? null : elements[0].getParameterByName("boundary");
        return boundary == null || boundary.getValue().isEmpty() ? null : boundary.getValue();
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest request, HttpRequest proxyRequest) {
        super.copyRequestHeaders(request, proxyRequest);
        if (rewritesUrls()) {
            // URLs inside a compressed body cannot be rewritten as it streams.
            proxyRequest.removeHeaders("Accept-Encoding");
        }
    }

    @Override
    protected boolean keepsLength(HttpServletRequest request, HttpResponse proxyResponse) {
        return !rewritesBody(proxyResponse);
    }

    @Override
    protected OutputStream responseBody(HttpServletRequest request, HttpResponse proxyResponse, OutputStream client) {
        if (!rewritesBody(proxyResponse)) {
            return client;
        }
        PublicOrigin origin = PublicOrigin.of(request);
        String base = origin.scheme() + "://" + origin.hostAndPort();
        byte[] orthancUrl = (base + orthancRoot).getBytes(StandardCharsets.UTF_8);
        byte[] publicUrl = (base + publicRoot).getBytes(StandardCharsets.UTF_8);
        String boundary = boundary(proxyResponse);
        // In multipart answers (frames) the URLs are in the part headers; the parts are image data.
        return boundary != null ? new PartHeaderRewritingOutputStream(client, boundary, orthancUrl, publicUrl)
                : new ReplacingOutputStream(client, orthancUrl, publicUrl);
    }

    @Override
    protected String upstreamBasePath(GatewayConfig config, String contextPath) {
        String root = config.dicomWebRoot(contextPath);
        return root.substring(0, root.length() - 1);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if ("HEAD".equals(request.getMethod())) {
            // Orthanc answers HEAD with 404; ask with GET and send only the headers.
            request.setAttribute(ATTR_HEAD, Boolean.TRUE);
            request = new HttpServletRequestWrapper(request) {
                @Override
                public String getMethod() {
                    return "GET";
                }
            };
        }
        super.service(request, response);
    }

    @Override
    protected void checkRoute(HttpServletRequest request, CanonicalPath path) throws RejectedRequest {
        DicomWebRoutes.check(request.getMethod(), path.segments());
        if ("GET".equals(request.getMethod())) {
            var refusal = transferSyntaxes.refusal(request.getHeader("Accept"));
            if (refusal.isPresent()) {
                throw new RejectedRequest(406, refusal.get());
            }
        }
    }

    @Override
    protected void copyResponseHeaders(HttpResponse proxyResponse, HttpServletRequest request,
                                       HttpServletResponse response) {
        super.copyResponseHeaders(proxyResponse, request, response);
        if (isWadoUri(request) && response.getContentType() != null) {
            response.setContentType(WadoUriContentType.corrected(request.getParameter("contentType"),
                    response.getContentType()));
        }
    }

    @Override
    protected void copyResponseEntity(HttpResponse proxyResponse, HttpServletResponse servletResponse,
                                      HttpRequest proxyRequest, HttpServletRequest servletRequest) throws IOException {
        if (servletRequest.getAttribute(ATTR_HEAD) != null) {
            // Closing the connection is cheaper than reading a whole study only to drop it.
            if (proxyRequest instanceof AbortableHttpRequest abortable) {
                abortable.abort();
            }
            return;
        }
        super.copyResponseEntity(proxyResponse, servletResponse, proxyRequest, servletRequest);
    }

    private static boolean isWadoUri(HttpServletRequest request) {
        List<String> segments = canonicalPath(request).segments();
        return segments.size() == 1 && segments.get(0).equals("wado");
    }
}
