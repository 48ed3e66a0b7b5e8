package org.ohifgateway.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;

import org.ohifgateway.http.AccessKind;

/**
 * The requests the gateway answered, per route class: how many by status class, how long they
 * took, and the body bytes each way. Every series exists from the start (at 0), and each route
 * class holds its own series, so that counting a request is a few additions without a lookup.
 */
final class RequestMetrics {

    /** From a cached file (milliseconds) to an upload of a whole study (minutes). */
    private static final double[] DURATION_BUCKETS =
            {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    /** The series of one route class. */
    static final class Route {

        private final CounterDataPoint[] byStatusClass = new CounterDataPoint[STATUS_CLASSES.length];
        private final DistributionDataPoint duration;
        private final CounterDataPoint received;
        private final CounterDataPoint sent;

        private Route(RequestMetrics metrics, String name) {
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                byStatusClass[i] = metrics.requests.labelValues(name, STATUS_CLASSES[i]);
            }
            duration = metrics.duration.labelValues(name);
            received = metrics.received.labelValues(name);
            sent = metrics.sent.labelValues(name);
        }

        /**
         * Counts an answered request.
         *
         * @param receivedBytes request body bytes the gateway read
         * @param sentBytes response body bytes the gateway wrote
         */
        void record(int status, long nanos, long receivedBytes, long sentBytes) {
            byStatusClass[Math.max(0, Math.min(status / 100 - 1, STATUS_CLASSES.length - 1))].inc();
            duration.observe(Unit.nanosToSeconds(nanos));
            received.inc(receivedBytes);
            sent.inc(sentBytes);
        }

        /** Adds body bytes written after the request was counted (its error page). */
        void sent(long bytes) {
            sent.inc(bytes);
        }
    }

    private final Counter requests;
    private final Histogram duration;
    private final Counter received;
    private final Counter sent;
    private final Route viewer;
    private final Route server;
    private final Map<AccessKind, Route> archive = new EnumMap<>(AccessKind.class);

    RequestMetrics(PrometheusRegistry registry, Labels node) {
        requests = Counter.builder().name("ohif_gateway_requests_total")
                .help("Requests answered, by route class and status class")
                .labelNames("route", "status_class").constLabels(node).withoutExemplars().register(registry);
        duration = Histogram.builder().name("ohif_gateway_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time from a request's arrival until its answer was written to the end, by route class")
                .labelNames("route").constLabels(node).classicOnly().classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars().register(registry);
        received = Counter.builder().name("ohif_gateway_request_body_bytes_total").unit(Unit.BYTES)
                .help("Request body bytes read from clients (uploads), by route class")
                .labelNames("route").constLabels(node).withoutExemplars().register(registry);
        sent = Counter.builder().name("ohif_gateway_response_body_bytes_total").unit(Unit.BYTES)
                .help("Response body bytes written to clients, by route class")
                .labelNames("route").constLabels(node).withoutExemplars().register(registry);
        viewer = new Route(this, "viewer");
        server = new Route(this, "server");
        for (AccessKind kind : AccessKind.values()) {
            archive.put(kind, new Route(this, kind.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** The viewer's files and pages: everything that is neither the archive nor the server's own. */
    Route viewer() {
        return viewer;
    }

    /** The metrics and the endpoints the server adds (health, OpenAPI). */
    Route server() {
        return server;
    }

    /** A kind of access to the archive, named as the audit trail names it. */
    Route archive(AccessKind kind) {
        return archive.get(kind);
    }
}
