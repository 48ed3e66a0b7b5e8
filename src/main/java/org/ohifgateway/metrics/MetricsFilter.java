package org.ohifgateway.metrics;

import java.io.IOException;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.RouteNotes;
import org.ohifgateway.http.Routes;

/**
 * Counts every request once, in {@link RequestMetrics}: where the gateway served it, or (mapped
 * on the error page) where the container refused it before any filter ran; the route class is
 * the one the audit trail records. The body bytes of an error page that follows a counted request
 * are added to it.
 */
public class MetricsFilter extends HttpFilter {

    private static final String COUNTED = MetricsFilter.class.getName() + ".counted";

    @Inject
    private GatewayMetrics metrics;

    /** For the container, which injects the metrics. */
    public MetricsFilter() {
    }

    /** With its metrics given, as a test without a container makes it. */
    MetricsFilter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CountingResponse counting = new CountingResponse(response);
        RequestMetrics.Route counted = (RequestMetrics.Route) request.getAttribute(COUNTED);
        if (counted != null) {
            try {
                chain.doFilter(request, counting);
            } finally {
                counted.sent(counting.bytes());
            }
            return;
        }
        long started = System.nanoTime();
        CountingRequest reading = new CountingRequest(request);
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        try {
            chain.doFilter(reading, counting);
            status = response.getStatus();
        } finally {
            RequestMetrics.Route route = routeOf(request);
            request.setAttribute(COUNTED, route);
            route.record(status, System.nanoTime() - started, reading.bytes(), counting.bytes());
        }
    }

    /** After the chain ran: the route notes what it served the request as. */
    private RequestMetrics.Route routeOf(HttpServletRequest request) {
        RequestMetrics requests = metrics.requests();
        String path = Routes.requested(request);
        if (path == null) {
            return requests.viewer();
        }
        Optional<AccessKind> archive = RouteNotes.archiveAccess(request, path);
        if (archive.isPresent()) {
            return requests.archive(archive.get());
        }
        return Routes.toServer(path) ? requests.server() : requests.viewer();
    }
}
