package org.ohifgateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one {@link GatewayConfig} of the application, read from MicroProfile Config and checked whole. */
@ApplicationScoped
class ConfigFromMicroProfile {

    @Produces
    @ApplicationScoped
    GatewayConfig config() {
        return GatewayConfig.fromMicroProfile().validated();
    }
}
