package org.ohifgateway.cache;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import org.ohifgateway.config.GatewayConfig;

/**
 * Where the metadata cache keeps its answers: this server's heap (the default), or the data grid
 * when gateway.cluster.members names the gateways that share it. The grid's cache manager is asked
 * for only then: without the grid the server has none, and a server without JCache (WildFly) does
 * not even have its classes, so nothing here names them.
 */
@ApplicationScoped
class AnswerStoreProducer {

    private static final Logger LOG = Logger.getLogger(AnswerStoreProducer.class.getName());

    @Produces
    @Dependent
    AnswerStore store(GatewayConfig config) {
        if (config.clusterMembers().isEmpty()) {
            return new MemoryStore(config.cacheLimitBytes());
        }
        LOG.info("Metadata cache: answers kept in the data grid shared with " + config.clusterMembers());
        try {
            return GridStore.onServerGrid(config.nodeName(), config.cacheLimitBytes());
        } catch (LinkageError noJCache) {
            throw new IllegalStateException("gateway.cluster.members is set, but this server has no JCache data grid"
                    + " (Payara's Hazelcast shares the metadata cache; see README \"Several nodes\")");
        }
    }
}
