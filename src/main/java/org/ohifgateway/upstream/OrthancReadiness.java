package org.ohifgateway.upstream;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.ohifgateway.http.PublicOrigin;

/**
 * Readiness for the server's health endpoint (admins only): whether Orthanc answers, and how the
 * connection pools to it are used, so a stuck or leaking pool shows before users notice. With
 * several nodes, each node's state as its checks found it, and ready while one of them is in.
 */
@Readiness
@ApplicationScoped
public class OrthancReadiness implements HealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final PublicOrigin SELF = new PublicOrigin("http", "localhost");

    @Inject
    OrthancClient orthanc;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("orthanc");
        orthanc.statistics().forEach((route, stats) -> response
                .withData(route + ".leased", stats.getLeased())
                .withData(route + ".idle", stats.getAvailable())
                .withData(route + ".waiting", stats.getPending())
                .withData(route + ".max", stats.getMax()));
        List<OrthancNodes.State> nodes = orthanc.checkedNodes();
        if (nodes.isEmpty()) {
            String answer = probe();
            response.withData("orthanc", answer);
            return response.status(answer.equals("HTTP 200")).build();
        }
        // Several nodes are checked in the background already: the load balancer's check every
        // second costs them nothing more, and waits for no node.
        nodes.forEach(node -> response.withData("node " + node.url(), node.up()
                ? "in since " + node.since() : "out since " + node.since() + ": " + node.reason()));
        response.withData("admin node", orthanc.adminUrl().toString());
        return response.status(nodes.stream().anyMatch(OrthancNodes.State::up)).build();
    }

    private String probe() {
        try {
            return "HTTP " + orthanc.status("/system", SELF, PROBE_TIMEOUT);
        } catch (IOException e) {
            return "not reachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
