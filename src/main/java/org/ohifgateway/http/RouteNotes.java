package org.ohifgateway.http;

import java.util.Optional;

import jakarta.servlet.ServletRequest;

/**
 * What a route notes on a request it served, for the audit trail and the metrics: the
 * {@link AccessKind}, the body bytes the client received, and whether the answer came from the
 * gateway's cache. They read them instead of working the route out again.
 */
public final class RouteNotes {

    private static final String ACCESS = RouteNotes.class.getName() + ".access";
    private static final String SENT_BYTES = RouteNotes.class.getName() + ".sentBytes";
    private static final String CACHE = RouteNotes.class.getName() + ".cache";

    private RouteNotes() {
    }

    public static void access(ServletRequest request, AccessKind kind) {
        request.setAttribute(ACCESS, kind);
    }

    /** The kind of access the route served; empty when no route got to classify the request. */
    public static Optional<AccessKind> access(ServletRequest request) {
        return Optional.ofNullable((AccessKind) request.getAttribute(ACCESS));
    }

    /**
     * The kind of access to the archive a request was, as the audit trail and the metrics count
     * it: what the route noted, else (the container refused the request before the route ran)
     * {@link AccessKind#ADMIN} or {@link AccessKind#DICOMWEB_REFUSED} by its path; empty for a
     * path on neither archive route.
     *
     * @param path the path inside the application the client asked for ({@link Routes#requested})
     */
    public static Optional<AccessKind> archiveAccess(ServletRequest request, String path) {
        boolean admin = Routes.on(Routes.ADMIN, path);
        if (!admin && !Routes.on(Routes.DICOMWEB, path)) {
            return Optional.empty();
        }
        return Optional.of(access(request).orElse(admin ? AccessKind.ADMIN : AccessKind.DICOMWEB_REFUSED));
    }

    public static void sentBytes(ServletRequest request, long bytes) {
        request.setAttribute(SENT_BYTES, bytes);
    }

    public static long sentBytes(ServletRequest request) {
        Object bytes = request.getAttribute(SENT_BYTES);
        return bytes instanceof Long count ? count : 0;
    }

    /** @param outcome "hit" (a kept answer) or "miss" (Orthanc's answer, fetched for the cache) */
    public static void cache(ServletRequest request, String outcome) {
        request.setAttribute(CACHE, outcome);
    }

    /** How the cache answered the request; empty when the cache had no part in it. */
    public static Optional<String> cache(ServletRequest request) {
        return Optional.ofNullable((String) request.getAttribute(CACHE));
    }
}
