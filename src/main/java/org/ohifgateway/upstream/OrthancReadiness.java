package org.ohifgateway.upstream;

import java.io.IOException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.pool.PoolStats;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.ohifgateway.config.GatewayConfig;

/**
 * Readiness for the server's health endpoint (admins only): whether Orthanc answers, and how the
 * connection pools to it are used, so a stuck or leaking pool shows before users notice.
 */
@Readiness
@ApplicationScoped
public class OrthancReadiness implements HealthCheck {

    private static final int PROBE_TIMEOUT_MS = 2_000;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("orthanc");
        Map<String, PoolStats> pools = UpstreamConnections.statistics();
        pools.forEach((route, stats) -> response
                .withData(route + ".leased", stats.getLeased())
                .withData(route + ".idle", stats.getAvailable())
                .withData(route + ".waiting", stats.getPending())
                .withData(route + ".max", stats.getMax()));
        String answer = UpstreamConnections.anyPool().map(this::probe).orElse("the proxy routes have not started");
        return response.withData("orthanc", answer).status(answer.equals("HTTP 200")).build();
    }

    /** Asks Orthanc for its /system resource through a route's pool, as the gateway's own requests go. */
    private String probe(PoolingHttpClientConnectionManager pool) {
        GatewayConfig config = GatewayConfig.fromMicroProfile();
        RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(PROBE_TIMEOUT_MS)
                .setSocketTimeout(PROBE_TIMEOUT_MS).setConnectionRequestTimeout(PROBE_TIMEOUT_MS).build();
        HttpGet system = new HttpGet(config.orthancUrl() + "/system");
        config.orthancAuthorization().ifPresent(authorization -> system.setHeader("Authorization", authorization));
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool)
                .setConnectionManagerShared(true).setDefaultRequestConfig(timeouts).build();
             // Closed unread: the status is the answer, and an endless body must not hold the probe.
             CloseableHttpResponse answer = client.execute(system)) {
            return "HTTP " + answer.getStatusLine().getStatusCode();
        } catch (IOException e) {
            return "not reachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
