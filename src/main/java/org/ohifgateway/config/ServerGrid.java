package org.ohifgateway.config;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The data grid gateway.cluster.members asks for: the server's JCache cache manager (Payara's
 * Hazelcast) and the gateways' caches in it. Only asked for with members set; a server without
 * JCache (WildFly) cannot even load this class (LinkageError), so no CDI bean names it.
 */
public final class ServerGrid {

    private ServerGrid() {
    }

    /** The server's cache manager; an IllegalStateException where the server started without its grid. */
    public static CacheManager cacheManager() {
        Instance<CacheManager> grid = CDI.current().select(CacheManager.class);
        if (!grid.isResolvable()) {
            // Refuse to run with state each gateway keeps alone.
            throw new IllegalStateException("gateway.cluster.members is set, but the server has no data grid");
        }
        return grid.get();
    }

    /** The grid's cache of that name, created with the configuration by the first gateway that needs it. */
    public static <V> Cache<String, V> cache(CacheManager grid, String name, MutableConfiguration<String, V> configuration) {
        Cache<String, V> existing = grid.getCache(name);
        if (existing != null) {
            return existing;
        }
        try {
            return grid.createCache(name, configuration);
        } catch (CacheException createdMeanwhile) {
            return grid.getCache(name);
        }
    }
}
