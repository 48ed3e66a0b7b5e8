package org.ohifgateway.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.http.RejectedRequest;

/**
 * What one proxied route does differently from the others; {@link OrthancProxyServlet} does the
 * rest. web.xml names each route's policy (init-param {@value OrthancProxyServlet#POLICY}); it is
 * an application-scoped bean of the route's package.
 */
public interface RoutePolicy {

    /** The path on Orthanc this route forwards to, without a trailing slash ("" for Orthanc's root). */
    String upstreamPath();

    /** The kind recorded for a request the route refused before it knew what the request was. */
    AccessKind unknownKind();

    /**
     * What the request asks for, or why the route does not offer it (404, 405).
     *
     * @param path the checked path below the route
     */
    AccessKind classify(String method, CanonicalPath path) throws RejectedRequest;

    /** The query string as Orthanc should get it (still percent-encoded); the default passes it on. */
    default String upstreamQuery(String query) {
        return query;
    }

    /** Refuses a request the route offers but will not forward as asked (403, 406); the default forwards all. */
    default void admit(AccessKind kind, String method, CanonicalPath path, String accept) throws RejectedRequest {
    }

    /**
     * Answers a request without forwarding it, where the route can (the DICOMweb route from the
     * gateway's cache); false sends it on to Orthanc. Runs after {@link #admit}, so a request
     * answered here passed every check a forwarded one passes.
     *
     * @param request as the client sent it (a HEAD is still a HEAD)
     */
    default boolean answered(CanonicalPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return false;
    }

    /**
     * Whether the route stays on the one Orthanc node configured for administration
     * ({@code orthanc.admin-url}) instead of being spread over the nodes: for Orthanc's own REST
     * API, whose jobs, modalities and peers each node keeps for itself.
     */
    default boolean pinnedToAdminNode() {
        return false;
    }

    /** Whether the route's root without a slash is redirected to the slash, below which relative links resolve. */
    default boolean rootNeedsSlash() {
        return false;
    }

    /** Whether HEAD is asked as GET and answered with the headers only (Orthanc's DICOMweb answers HEAD with 404). */
    default boolean headAsGet() {
        return false;
    }

    /** Whether a request header that {@link HeaderPolicy} lets through goes on to Orthanc on this route. */
    default boolean forwards(String header) {
        return true;
    }

    /** Whether answers of this Content-Type (null: none) are changed on their way, so their length changes. */
    default boolean rewritesBody(String contentType) {
        return false;
    }

    /** The stream the body of an answer that {@link #rewritesBody} goes through to the client. */
    default OutputStream rewrittenBody(String contentType, PublicOrigin origin, OutputStream client) {
        return client;
    }

    /**
     * The Content-Type the client gets for Orthanc's.
     *
     * @param parameter the request's query parameters by name
     */
    default String contentType(AccessKind kind, UnaryOperator<String> parameter, String upstreamType) {
        return upstreamType;
    }
}
