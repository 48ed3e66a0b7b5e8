package org.ohifgateway.pacs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.http.ParseException;
import org.apache.http.entity.ContentType;
import org.ohifgateway.cache.KeptResource;
import org.ohifgateway.cache.KeptRoute;
import org.ohifgateway.cache.MetadataCache;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.PercentEncoding;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.http.RejectedRequest;
import org.ohifgateway.http.Routes;
import org.ohifgateway.upstream.RoutePolicy;

/**
 * The DICOMweb route: Orthanc's DICOMweb API (QIDO-RS, WADO-RS, WADO-URI, STOW-RS), only the
 * resources {@link DicomWebRoutes} allows, only the transfer syntaxes the site allows, Orthanc's
 * URLs rewritten in answers when its DICOMweb root is not the public path, and series and study
 * metadata and the study list answered from the {@link MetadataCache} where it has them.
 */
@ApplicationScoped
public class DicomWebRoute implements RoutePolicy, KeptRoute {

    @Inject
    GatewayConfig config;
    @Inject
    ServletContext context;
    @Inject
    MetadataCache cache;

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
        cache.serveFor(this);
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
    public boolean answered(CanonicalPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<KeptResource> kept = keptResource(request.getMethod(), path.segments(),
                request.getQueryString() == null ? null : upstreamQuery(request.getQueryString()),
                request.getHeader("Accept"));
        return kept.isPresent() && cache.answer(this, kept.get(), request, response);
    }

    /**
     * What the cache keeps of a request: GET or HEAD of series metadata, study metadata or the
     * study search, asked for in JSON (as OHIF asks); empty for everything else.
     *
     * @param query as Orthanc gets it, or null
     */
    static Optional<KeptResource> keptResource(String method, List<String> segments, String query, String accept) {
        if (!("GET".equals(method) || "HEAD".equals(method)) || !KeptResource.acceptsKeptJson(accept)) {
            return Optional.empty();
        }
        int n = segments.size();
        if (n == 0 || !segments.get(0).equals("studies") || n > 1 && !segments.get(n - 1).equals("metadata")) {
            return Optional.empty();
        }
        return switch (n) {
            case 1 -> Optional.of(KeptResource.studySearch(query));
            case 3 -> Optional.of(KeptResource.studyMetadata(segments.get(1), query));
            case 5 -> Optional.of(KeptResource.seriesMetadata(segments.get(1), segments.get(3), query));
            default -> Optional.empty();
        };
    }

    @Override
    public String upstream(String path, String query) {
        return orthancRoot + path + (query == null || query.isEmpty() ? "" : "?" + PercentEncoding.query(query));
    }

    @Override
    public boolean rewrites(PublicOrigin asked, PublicOrigin client) {
        return rewritesUrls() || !asked.equals(client);
    }

    @Override
    public OutputStream rewriting(PublicOrigin asked, PublicOrigin client, OutputStream out) {
        return new ReplacingOutputStream(out, (asked + orthancRoot).getBytes(StandardCharsets.UTF_8),
                (client + publicRoot).getBytes(StandardCharsets.UTF_8));
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
        String boundary = boundary(contentType);
        if (boundary == null) {
            return rewriting(origin, origin, client);
        }
        // In multipart answers (frames) the URLs are in the part headers; the parts are image data.
        String base = origin.toString();
        return new PartHeaderRewritingOutputStream(client, boundary, (base + orthancRoot).getBytes(StandardCharsets.UTF_8),
                (base + publicRoot).getBytes(StandardCharsets.UTF_8));
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
