package org.ohifgateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness for the server's health endpoint (admins only): whether the directory logins are
 * checked against answers. While it does not, no login can be checked, so an admin's request for
 * this endpoint itself is answered 503 by the login (see RefusalServlet).
 */
@Readiness
@ApplicationScoped
public class DirectoryReadiness implements HealthCheck {

    @Inject
    UserDirectory directory;

    @Override
    public HealthCheckResponse call() {
        String state = directory.state();
        return HealthCheckResponse.named("directory").withData("directory", state)
                .status(directory.reachable()).build();
    }
}
