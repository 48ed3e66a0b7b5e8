package org.ohifgateway.pacs;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;

import org.apache.http.ParseException;
import org.apache.http.entity.ContentType;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.http.RejectedRequest;
import org.ohifgateway.http.Routes;
import org.ohifgateway.upstream.RoutePolicy;

/**
 * The DICOMweb route: Orthanc's DICOMweb API (QIDO-RS, WADO-RS, WADO-URI, STOW-RS), only the
 * resources {@link DicomWebRoutes} allows, only the transfer syntaxes the site allows, and
 * Orthanc's URLs rewritten in answers when its DICOMweb root is not the public path.
 */
@ApplicationScoped
public class DicomWebRoute implements RoutePolicy {

    @Inject
    GatewayConfig config;
    @Inject
    ServletContext context;

    private TransferSyntaxPolicy transferSyntaxes;
    private String orthancRoot;
    private String publicRoot;

    DicomWebRoute() {
    }

    /**
     * @param orthancRoot Orthanc's DICOMweb root, e.g. {@code /dicom-web/}
     * @param publicRoot  the route's public path, e.g. {@code /ohif/pacs/}
     */
    DicomWebRoute(Set<String> allowedTransferSyntaxes, String orthancRoot, String publicRoot) {
        this.transferSyntaxes = new TransferSyntaxPolicy(allowedTransferSyntaxes);
        this.orthancRoot = orthancRoot;
        this.publicRoot = publicRoot;
    }

    @PostConstruct
    void start() {
        String contextPath = context.getContextPath();
        transferSyntaxes = new TransferSyntaxPolicy(config.allowedTransferSyntaxes());
        orthancRoot = config.dicomWebRoot(contextPath);
        publicRoot = contextPath + Routes.DICOMWEB + "/";
    }

    /** Orthanc's DICOMweb root, with slashes at both ends. */
    String orthancRoot() {
        return orthancRoot;
    }

    /** The route's public path, context path included, with slashes at both ends. */
    String publicRoot() {
        return publicRoot;
    }

    @Override
    public String upstreamPath() {
        return orthancRoot.substring(0, orthancRoot.length() - 1);
    }

    @Override
    public AccessKind unknownKind() {
        return AccessKind.DICOMWEB_REFUSED;
    }

    @Override
    public AccessKind classify(String method, CanonicalPath path) throws RejectedRequest {
        if (path.trailingSlash()) {
            // DICOMweb names no resource with a trailing slash; Orthanc would answer as if there were none.
            throw new RejectedRequest(400, "empty path segment");
        }
        return DicomWebRoutes.check(method, path.segments());
    }

    @Override
    public String upstreamQuery(String query) {
        return IncludeFields.splittable(query);
    }

    @Override
    public void admit(AccessKind kind, String method, CanonicalPath path, String accept) throws RejectedRequest {
        if ("GET".equals(method)) {
            var refusal = transferSyntaxes.refusal(accept);
            if (refusal.isPresent()) {
                throw new RejectedRequest(406, refusal.get());
            }
        }
    }

    @Override
    public boolean headAsGet() {
        return true;
    }

    /** Orthanc writes URLs under its own DICOMweb root; when that is not the public path they are rewritten. */
    private boolean rewritesUrls() {
        return !orthancRoot.equals(publicRoot);
    }

    @Override
    public boolean forwards(String header) {
        // URLs inside a compressed body cannot be rewritten as it streams.
        return !(rewritesUrls() && header.equalsIgnoreCase("Accept-Encoding"));
    }

    @Override
    public boolean rewritesBody(String contentType) {
        if (!rewritesUrls() || contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("multipart/") ? boundary(contentType) != null : type.contains("json") || type.contains("xml");
    }

    @Override
    public OutputStream rewrittenBody(String contentType, PublicOrigin origin, OutputStream client) {
        String base = origin.toString();
        byte[] orthancUrl = (base + orthancRoot).getBytes(StandardCharsets.UTF_8);
        byte[] publicUrl = (base + publicRoot).getBytes(StandardCharsets.UTF_8);
        String boundary = boundary(contentType);
        // In multipart answers (frames) the URLs are in the part headers; the parts are image data.
        return boundary != null ? new PartHeaderRewritingOutputStream(client, boundary, orthancUrl, publicUrl)
                : new ReplacingOutputStream(client, orthancUrl, publicUrl);
    }

    private static String boundary(String contentType) {
        try {
            String boundary = ContentType.parse(contentType).getParameter("boundary");
            return boundary == null || boundary.isEmpty() ? null : boundary;
        } catch (ParseException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String contentType(AccessKind kind, UnaryOperator<String> parameter, String upstreamType) {
        return kind == AccessKind.WADO_URI
                ? WadoUriContentType.corrected(parameter.apply("contentType"), upstreamType) : upstreamType;
    }
}
