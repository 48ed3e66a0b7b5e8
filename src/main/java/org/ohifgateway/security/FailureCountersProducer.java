package org.ohifgateway.security;

import java.time.Duration;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.config.LoginLimits;

/**
 * The gateway's one {@link FailureCounters}: in this server's memory (the default), or in the
 * data grid when gateway.cluster.members names the gateways that share it. The grid's cache
 * manager is asked for only then: without the grid the server has none, and a server without
 * JCache (WildFly) does not even have its classes, so nothing here names them.
 */
@ApplicationScoped
class FailureCountersProducer {

    private static final Logger LOG = Logger.getLogger(FailureCountersProducer.class.getName());

    @Produces
    @ApplicationScoped
    FailureCounters counters(GatewayConfig config) {
        if (config.clusterMembers().isEmpty()) {
            return new LocalFailureCounters();
        }
        LoginLimits limits = config.loginLimits();
        Duration staleAfter = limits.window().compareTo(limits.coolDown()) > 0 ? limits.window() : limits.coolDown();
        LOG.info("login failures are counted in the data grid shared with " + config.clusterMembers());
        // A server without the grid: refuse to run with counts each gateway keeps alone.
        try {
            return GridFailureCounters.ofServerGrid(staleAfter);
        } catch (LinkageError noJCache) {
            throw new IllegalStateException("gateway.cluster.members is set, but this server has no JCache data grid"
                    + " (Payara's Hazelcast shares the counts; see README \"Several nodes\")");
        }
    }
}
