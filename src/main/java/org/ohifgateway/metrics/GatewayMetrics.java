package org.ohifgateway.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;

import org.apache.http.pool.PoolStats;
import org.ohifgateway.audit.AuditTrail;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.cache.CacheStatistics;
import org.ohifgateway.security.KeptLogins;
import org.ohifgateway.security.LoginGuard;
import org.ohifgateway.security.LoginThrottle;
import org.ohifgateway.upstream.OrthancClient;

/**
 * The gateway's metrics: the requests it answered ({@link RequestMetrics}, counted as they
 * end), what the services count themselves (Orthanc's connection pools and failures, logins
 * and their checks, failed logins and lockouts, audit lines dropped, the metadata cache; read at each scrape), and the JVM's own. Every
 * series carries the node label (gateway.node-name), so that those of several gateways stay apart.
 */
@ApplicationScoped
public class GatewayMetrics {

    private static final String NODE = "node";

    @Inject
    GatewayConfig config;
    @Inject
    OrthancClient orthanc;
    @Inject
    LoginGuard logins;
    @Inject
    KeptLogins keptLogins;
    @Inject
    AuditTrail audit;
    @Inject
    CacheStatistics cache;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private RequestMetrics requests;

    GatewayMetrics() {
    }

    /** With its sources given, as a test without a container makes it. */
    GatewayMetrics(GatewayConfig config, OrthancClient orthanc, LoginGuard logins, KeptLogins keptLogins,
                   AuditTrail audit, CacheStatistics cache) {
        this.config = config;
        this.orthanc = orthanc;
        this.logins = logins;
        this.keptLogins = keptLogins;
        this.audit = audit;
        this.cache = cache;
        start();
    }

    @PostConstruct
    void start() {
        Labels node = Labels.of(NODE, config.nodeName());
        requests = new RequestMetrics(registry, node);
        GaugeWithCallback.builder().name("ohif_gateway_upstream_connections")
                .help("Connections to Orthanc per route's pool: leased (in use) or idle")
                .labelNames("pool", "state").constLabels(node)
                .callback(gauge -> orthanc.statistics().forEach((pool, stats) -> {
                    gauge.call(stats.getLeased(), pool, "leased");
                    gauge.call(stats.getAvailable(), pool, "idle");
                }))
                .register(registry);
        poolGauge(node, "ohif_gateway_upstream_waiting_requests",
                "Requests waiting for a connection to Orthanc, per route's pool", PoolStats::getPending);
        poolGauge(node, "ohif_gateway_upstream_max_connections",
                "Largest number of connections to Orthanc, per route's pool (gateway.upstream.max-connections)",
                PoolStats::getMax);
        CounterWithCallback.builder().name("ohif_gateway_upstream_errors_total")
                .help("Requests to Orthanc that failed (timeout: 504 or a stall mid-answer; pool_timeout: 503), per route's pool and kind")
                .labelNames("pool", "kind").constLabels(node)
                .callback(counter -> orthanc.failures().forEach((pool, kinds) -> kinds.forEach((kind, count) ->
                        counter.call(count, pool, kind.name().toLowerCase(Locale.ROOT)))))
                .register(registry);
        GaugeWithCallback.builder().name("ohif_gateway_upstream_node_up")
                .help("1 while an Orthanc node is in (its last check or request reached it), 0 while it is out; with several nodes only")
                .labelNames("orthanc").constLabels(node)
                .callback(gauge -> orthanc.checkedNodes().forEach(state ->
                        gauge.call(state.up() ? 1 : 0, state.url().toString())))
                .register(registry);
        CounterWithCallback.builder().name("ohif_gateway_logins_total")
                .help("Accepted logins on paths that need one, checked by the server's realm or found among those"
                        + " it accepted within gateway.login.cache-seconds (kept)")
                .labelNames("checked_by").constLabels(node)
                .callback(counter -> {
                    counter.call(keptLogins.realmChecks(), "realm");
                    counter.call(keptLogins.keptHits(), "kept");
                })
                .register(registry);
        counter(node, "ohif_gateway_login_failures_total", "Logins with a wrong password or an unknown user name",
                logins::failedLogins);
        GaugeWithCallback.builder().name("ohif_gateway_login_lockouts")
                .help("User names and client addresses refused now after repeated failed logins")
                .labelNames("by").constLabels(node)
                .callback(gauge -> {
                    LoginThrottle.Lockouts lockouts = logins.lockouts();
                    gauge.call(lockouts.users(), "user");
                    gauge.call(lockouts.addresses(), "address");
                })
                .register(registry);
        counter(node, "ohif_gateway_audit_lines_dropped_total",
                "Audit lines that could not be written (file failure, or still queued when the server stopped)",
                audit::droppedLines);
        CounterWithCallback.builder().name("ohif_gateway_cache_requests_total")
                .help("Metadata and study list requests the cache answered (hit) or asked Orthanc for (miss)")
                .labelNames("result").constLabels(node)
                .callback(counter -> {
                    counter.call(cache.hits(), "hit");
                    counter.call(cache.misses(), "miss");
                })
                .register(registry);
        counter(node, "ohif_gateway_cache_invalidations_total",
                "Kept answers removed because Orthanc reported a change", cache::invalidations);
        counter(node, "ohif_gateway_cache_flushes_total",
                "Times the whole cache was emptied (a gap in Orthanc's change feed, another database)", cache::flushes);
        counter(node, "ohif_gateway_cache_evictions_total",
                "Kept answers removed to stay under gateway.cache.max-mb", cache::evictions);
        counter(node, "ohif_gateway_cache_precomputed_total",
                "Series metadata computed when Orthanc reported the series stable", cache::precomputed);
        gauge(node, "ohif_gateway_cache_entries", "Answers kept now", cache::entries);
        gauge(node, "ohif_gateway_cache_bytes", "Memory the kept answers take now", cache::bytes);
        gauge(node, "ohif_gateway_cache_limit_bytes", "The most memory kept answers may take (0: cache off)",
                () -> cache.enabled() ? cache.limitBytes() : 0);
        JvmMetrics.builder().constLabels(node).register(registry);
    }

    private void poolGauge(Labels node, String name, String help, ToIntFunction<PoolStats> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("pool").constLabels(node)
                .callback(gauge -> orthanc.statistics().forEach((pool, stats) -> gauge.call(value.applyAsInt(stats), pool)))
                .register(registry);
    }

    private void counter(Labels node, String name, String help, LongSupplier count) {
        CounterWithCallback.builder().name(name).help(help).constLabels(node)
                .callback(counter -> counter.call(count.getAsLong()))
                .register(registry);
    }

    private void gauge(Labels node, String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).constLabels(node)
                .callback(gauge -> gauge.call(value.getAsLong()))
                .register(registry);
    }

    /** The series of requests, for the filter that counts them. */
    RequestMetrics requests() {
        return requests;
    }

    String contentType() {
        return text.getContentType();
    }

    /** Every metric in Prometheus's text format (version 0.0.4). */
    void write(OutputStream out) throws IOException {
        text.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
}
