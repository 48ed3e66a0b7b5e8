package org.ohifgateway.cache;

import java.util.logging.Logger;

import javax.cache.CacheManager;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.ohifgateway.config.GatewayConfig;

/**
 * Where the metadata cache keeps its answers: this server's heap (the default), or the data grid
 * when gateway.cluster.members names the gateways that share it. The grid's cache manager is asked
 * for only then: without the grid the server has none.
 */
@ApplicationScoped
class AnswerStoreProducer {

    private static final Logger LOG = Logger.getLogger(AnswerStoreProducer.class.getName());

    @Produces
    @Dependent
    AnswerStore store(GatewayConfig config, Instance<CacheManager> caches) {
        if (config.clusterMembers().isEmpty()) {
            return new MemoryStore(config.cacheLimitBytes());
        }
        CacheManager grid = caches.get();
        if (grid == null) {
            // Payara started without its grid: refuse to run with answers each gateway keeps alone.
            throw new IllegalStateException("gateway.cluster.members is set, but the server has no data grid");
        }
        LOG.info("Metadata cache: answers kept in the data grid shared with " + config.clusterMembers());
        return GridStore.on(grid, config.nodeName(), config.cacheLimitBytes());
    }
}
