package org.ohifgateway.http;

import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The gateway's routes as web.xml maps them (a unit test holds the two together): the few places
 * that must know a route before it runs (protective headers, the audit and the metrics of
 * requests the container refused) take the prefixes from here.
 */
public final class Routes {

    /** Orthanc's DICOMweb API. */
    public static final String DICOMWEB = "/pacs";
    /** Orthanc Explorer and Orthanc's REST API. */
    public static final String ADMIN = "/pacs-admin";
    /** The gateway's metrics, in Prometheus's text format. */
    public static final String METRICS = "/metrics";
    /** The load balancer's check: whether this gateway can serve; the one path open without a login. */
    public static final String READY = "/ready";
    /** Endpoints the server adds at the application's root (Payara: MicroProfile Health and OpenAPI). */
    public static final List<String> SERVER = List.of("/health", "/openapi");

    private Routes() {
    }

    /** Whether a path inside the application (without the context path) lies on the route. */
    public static boolean on(String route, String path) {
        return path.equals(route) || path.startsWith(route + "/");
    }

    /** Whether a path inside the application is the metrics, the load balancer's check or an endpoint of the server's own. */
    public static boolean toServer(String path) {
        return on(METRICS, path) || READY.equals(path) || SERVER.stream().anyMatch(endpoint -> on(endpoint, path));
    }

    /**
     * The path inside the application that the client asked for, also while its error page is
     * dispatched (with a path of its own); null for a request outside the application.
     */
    public static String requested(HttpServletRequest request) {
        Object uri = request.getDispatcherType() == DispatcherType.ERROR
                ? request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) : request.getRequestURI();
        String context = request.getContextPath();
        return uri != null && uri.toString().startsWith(context) ? uri.toString().substring(context.length()) : null;
    }
}
