package org.ohifgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.http.pool.PoolStats;
import org.junit.jupiter.api.Test;
import org.ohifgateway.audit.AuditTrail;
import org.ohifgateway.cache.CacheStatistics;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.security.KeptLogins;
import org.ohifgateway.security.LoginGuard;
import org.ohifgateway.security.LoginThrottle;
import org.ohifgateway.upstream.OrthancClient;
import org.ohifgateway.upstream.OrthancNodes;
import org.ohifgateway.upstream.UpstreamFailure;

class GatewayMetricsTest {

    private static final long MILLIS = 1_000_000;

    private final OrthancClient orthanc = mock(OrthancClient.class);
    private final LoginGuard logins = mock(LoginGuard.class);
    private final KeptLogins keptLogins = mock(KeptLogins.class);
    private final AuditTrail audit = mock(AuditTrail.class);
    private final CacheStatistics cache = mock(CacheStatistics.class);

    private GatewayMetrics metrics(Map<String, String> settings) {
        when(orthanc.statistics()).thenReturn(Map.of("DicomWeb", new PoolStats(3, 2, 1, 128)));
        when(orthanc.failures()).thenReturn(Map.of("DicomWeb", Map.of(UpstreamFailure.Kind.TIMEOUT, 4L,
                UpstreamFailure.Kind.UNREACHABLE, 1L)));
        when(orthanc.checkedNodes()).thenReturn(List.of(
                new OrthancNodes.State(URI.create("http://10.0.0.1:8042"), true, Instant.EPOCH, "", false),
                new OrthancNodes.State(URI.create("http://10.0.0.2:8042"), false, Instant.EPOCH, "connection refused", false)));
        when(logins.failedLogins()).thenReturn(7L);
        when(logins.lockouts()).thenReturn(new LoginThrottle.Lockouts(1, 2));
        when(keptLogins.realmChecks()).thenReturn(2L);
        when(keptLogins.keptHits()).thenReturn(30L);
        when(audit.droppedLines()).thenReturn(5L);
        when(cache.enabled()).thenReturn(true);
        when(cache.hits()).thenReturn(40L);
        when(cache.misses()).thenReturn(9L);
        when(cache.invalidations()).thenReturn(3L);
        when(cache.entries()).thenReturn(6L);
        when(cache.bytes()).thenReturn(123_456L);
        when(cache.limitBytes()).thenReturn(32L << 20);
        return new GatewayMetrics(new GatewayConfig(key -> Optional.ofNullable(settings.get(key))), orthanc, logins, keptLogins,
                audit, cache);
    }

    private static ScrapedMetrics scrape(GatewayMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return new ScrapedMetrics(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void requestsAreCountedByRouteClassAndStatusClassWithTheirDurationAndBytes() throws Exception {
        GatewayMetrics metrics = metrics(Map.of("gateway.node-name", "gw-a"));
        RequestMetrics requests = metrics.requests();
        requests.archive(AccessKind.QIDO).record(200, 3 * MILLIS, 0, 1000);
        requests.archive(AccessKind.QIDO).record(204, 30 * MILLIS, 0, 0);
        requests.archive(AccessKind.QIDO).record(404, 700 * MILLIS, 0, 20);
        requests.archive(AccessKind.STOW).record(200, 2000 * MILLIS, 5000, 300);
        requests.viewer().record(304, MILLIS, 0, 0);
        requests.viewer().record(401, MILLIS, 0, 0);
        requests.viewer().sent(90);
        requests.server().record(503, MILLIS, 0, 10);

        ScrapedMetrics scraped = scrape(metrics);

        String total = "ohif_gateway_requests_total";
        assertEquals(2, scraped.sum(total, "route", "qido", "status_class", "2xx"));
        assertEquals(1, scraped.sum(total, "route", "qido", "status_class", "4xx"));
        assertEquals(1, scraped.sum(total, "route", "stow", "status_class", "2xx"));
        assertEquals(1, scraped.sum(total, "route", "viewer", "status_class", "3xx"));
        assertEquals(1, scraped.sum(total, "route", "viewer", "status_class", "4xx"));
        assertEquals(1, scraped.sum(total, "route", "server", "status_class", "5xx"));
        assertEquals(7, scraped.sum(total), "nothing else");
        assertEquals(0, scraped.sum(total, "route", "wado_rs"), "every series exists from the start");
        assertEquals(List.of("viewer", "server", "qido", "wado_rs", "wado_uri", "stow", "admin", "dicomweb_refused"),
                scraped.labelValues(total, "route").stream().distinct().sorted(this::byRouteOrder).toList());

        String duration = "ohif_gateway_request_duration_seconds";
        assertEquals(3, scraped.sum(duration + "_count", "route", "qido"));
        assertEquals(0.733, scraped.sum(duration + "_sum", "route", "qido"), 1e-9);
        assertEquals(1, scraped.sum(duration + "_bucket", "route", "qido", "le", "0.005"));
        assertEquals(2, scraped.sum(duration + "_bucket", "route", "qido", "le", "0.05"));
        assertEquals(3, scraped.sum(duration + "_bucket", "route", "qido", "le", "1.0"));
        assertEquals(3, scraped.sum(duration + "_bucket", "route", "qido", "le", "+Inf"));

        assertEquals(1020, scraped.sum("ohif_gateway_response_body_bytes_total", "route", "qido"));
        assertEquals(90, scraped.sum("ohif_gateway_response_body_bytes_total", "route", "viewer"), "an error page's body");
        assertEquals(5000, scraped.sum("ohif_gateway_request_body_bytes_total", "route", "stow"));
        assertEquals(5000, scraped.sum("ohif_gateway_request_body_bytes_total"));
    }

    private int byRouteOrder(String a, String b) {
        List<String> order = List.of("viewer", "server", "qido", "wado_rs", "wado_uri", "stow", "admin", "dicomweb_refused");
        return Integer.compare(order.indexOf(a), order.indexOf(b));
    }

    @Test
    void whatTheServicesCountIsReadAtTheScrape() throws Exception {
        ScrapedMetrics scraped = scrape(metrics(Map.of()));

        assertEquals(3, scraped.sum("ohif_gateway_upstream_connections", "pool", "DicomWeb", "state", "leased"));
        assertEquals(1, scraped.sum("ohif_gateway_upstream_connections", "pool", "DicomWeb", "state", "idle"));
        assertEquals(2, scraped.sum("ohif_gateway_upstream_waiting_requests", "pool", "DicomWeb"));
        assertEquals(128, scraped.sum("ohif_gateway_upstream_max_connections", "pool", "DicomWeb"));
        assertEquals(4, scraped.sum("ohif_gateway_upstream_errors_total", "pool", "DicomWeb", "kind", "timeout"));
        assertEquals(1, scraped.sum("ohif_gateway_upstream_errors_total", "pool", "DicomWeb", "kind", "unreachable"));
        assertEquals(1, scraped.sum("ohif_gateway_upstream_node_up", "orthanc", "http://10.0.0.1:8042"));
        assertEquals(0, scraped.sum("ohif_gateway_upstream_node_up", "orthanc", "http://10.0.0.2:8042"));
        assertEquals(2, scraped.sum("ohif_gateway_logins_total", "checked_by", "realm"));
        assertEquals(30, scraped.sum("ohif_gateway_logins_total", "checked_by", "kept"));
        assertEquals(7, scraped.sum("ohif_gateway_login_failures_total"));
        assertEquals(1, scraped.sum("ohif_gateway_login_lockouts", "by", "user"));
        assertEquals(2, scraped.sum("ohif_gateway_login_lockouts", "by", "address"));
        assertEquals(5, scraped.sum("ohif_gateway_audit_lines_dropped_total"));
        assertEquals(40, scraped.sum("ohif_gateway_cache_requests_total", "result", "hit"));
        assertEquals(9, scraped.sum("ohif_gateway_cache_requests_total", "result", "miss"));
        assertEquals(3, scraped.sum("ohif_gateway_cache_invalidations_total"));
        assertEquals(6, scraped.sum("ohif_gateway_cache_entries"));
        assertEquals(123_456, scraped.sum("ohif_gateway_cache_bytes"));
        assertEquals(32 << 20, scraped.sum("ohif_gateway_cache_limit_bytes"));
        assertTrue(scraped.has("jvm_memory_used_bytes") && scraped.has("jvm_threads_current")
                && scraped.has("process_cpu_seconds_total"), "the JVM's basics");
    }

    @Test
    void oneOrthancNodeAloneHasNoNodeState() throws Exception {
        GatewayMetrics metrics = metrics(Map.of());
        when(orthanc.checkedNodes()).thenReturn(List.of());

        assertFalse(scrape(metrics).text().contains("ohif_gateway_upstream_node_up"), "nothing checks one node");
    }

    @Test
    void everySeriesCarriesTheNodeNameHostNameByDefault() throws Exception {
        ScrapedMetrics named = scrape(metrics(Map.of("gateway.node-name", "gw-b")));
        ScrapedMetrics unnamed = scrape(metrics(Map.of()));

        for (String name : List.of("ohif_gateway_requests_total", "ohif_gateway_upstream_connections",
                "ohif_gateway_login_failures_total", "ohif_gateway_audit_lines_dropped_total", "jvm_memory_used_bytes")) {
            assertEquals(List.of("gw-b"), named.labelValues(name, "node"), name);
            assertEquals(List.of(java.net.InetAddress.getLocalHost().getHostName()), unnamed.labelValues(name, "node"), name);
        }
    }

    @Test
    void theTextPassesPrometheusOwnChecker() throws Exception {
        GatewayMetrics metrics = metrics(Map.of("gateway.node-name", "gw \"quoted\" \\ name"));
        metrics.requests().archive(AccessKind.WADO_RS).record(200, 12 * MILLIS, 0, 123_456);

        scrape(metrics).assertPromtoolFindsNothing(Path.of("target", "metrics-check"));
    }
}
