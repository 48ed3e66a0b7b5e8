package org.ohifgateway.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the gateway can serve, from the same readiness checks the server's health endpoint
 * shows admins (Orthanc, the directory, the metadata cache): only when every one of them is up.
 * A check that fails to answer counts as down.
 */
final class ReadinessChecks {

    private ReadinessChecks() {
    }

    static boolean allUp(Iterable<? extends HealthCheck> checks) {
        for (HealthCheck check : checks) {
            try {
                if (check.call().getStatus() != HealthCheckResponse.Status.UP) {
                    return false;
                }
            } catch (RuntimeException broken) {
                return false;
            }
        }
        return true;
    }
}
