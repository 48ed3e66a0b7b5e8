package org.ohifgateway.upstream;

import java.io.IOException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.ohifgateway.http.PublicOrigin;

/**
 * Readiness for the server's health endpoint (admins only): whether Orthanc answers, and how the
 * connection pools to it are used, so a stuck or leaking pool shows before users notice.
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
        String answer = probe();
        return response.withData("orthanc", answer).status(answer.equals("HTTP 200")).build();
    }

    private String probe() {
        try {
            return "HTTP " + orthanc.status("/system", SELF, PROBE_TIMEOUT);
        } catch (IOException e) {
            return "not reachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
