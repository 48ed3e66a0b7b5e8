package org.ohifgateway.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The metadata cache in the server's health endpoint (admins only): how full it is and how it
 * has served. It is never a reason to be unready: without it requests go to Orthanc.
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {

    @Inject
    CacheStatistics cache;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cache")
                .withData("enabled", cache.enabled())
                .withData("entries", cache.entries())
                .withData("bytes", cache.bytes())
                .withData("limitBytes", cache.limitBytes())
                .withData("hits", cache.hits())
                .withData("misses", cache.misses())
                .withData("invalidations", cache.invalidations())
                .withData("flushes", cache.flushes())
                .withData("evictions", cache.evictions())
                .withData("precomputed", cache.precomputed())
                .withData("feedPosition", cache.feedPosition())
                .up().build();
    }
}
