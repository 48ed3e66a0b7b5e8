package org.ohifgateway.security;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;

import org.ohifgateway.config.ServerGrid;


/**
 * Failure counts in the data grid the gateways share (JCache on Payara's Hazelcast): a name
 * refused on one gateway is refused on all. Counts are kept as text, so that no member needs the
 * gateway's classes to hold them; each change is a compare-and-set, retried when another gateway
 * changed the count in between. The grid forgets a count once it is stale (not changed for the
 * longer of the counting window and the cool-down), so it needs no sweeping.
 */
final class GridFailureCounters implements FailureCounters {

    static final String CACHE = "ohif-gateway-login-failures";

    private final Cache<String, String> cache;

    GridFailureCounters(Cache<String, String> cache) {
        this.cache = cache;
    }

    /**
     * Counts in the server's data grid (its JCache cache manager); an IllegalStateException where
     * the server has none, or no JCache at all (this class then fails to load: LinkageError).
     */
    static FailureCounters ofServerGrid(java.time.Duration staleAfter) {
        return new GridFailureCounters(ServerGrid.cache(ServerGrid.cacheManager(), CACHE,
                new MutableConfiguration<String, String>().setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
                        new Duration(TimeUnit.SECONDS, staleAfter.toSeconds())))));
    }

    @Override
    public Count get(String key) {
        return decode(cache.get(key));
    }

    @Override
    public Count update(String key, UnaryOperator<Count> change) {
        while (true) {
            String current = cache.get(key);
            Count next = change.apply(decode(current));
            boolean changed;
            if (current == null) {
                changed = next == null || cache.putIfAbsent(key, encode(next));
            } else if (next == null) {
                changed = cache.remove(key, current);
            } else {
                changed = cache.replace(key, current, encode(next));
            }
            if (changed) {
                return next;
            }
        }
    }

    @Override
    public void removeIf(BiPredicate<String, Count> test) {
        for (Cache.Entry<String, String> entry : cache) {
            if (test.test(entry.getKey(), decode(entry.getValue()))) {
                cache.remove(entry.getKey(), entry.getValue());
            }
        }
    }

    @Override
    public long count(BiPredicate<String, Count> test) {
        long accepted = 0;
        for (Cache.Entry<String, String> entry : cache) {
            if (test.test(entry.getKey(), decode(entry.getValue()))) {
                accepted++;
            }
        }
        return accepted;
    }

    /** Never: the grid forgets stale counts by itself, and counting it would cost a call per partition. */
    @Override
    public boolean mustSweep(int limit) {
        return false;
    }

    static String encode(Count count) {
        return count.failures() + " " + count.windowStart() + " " + count.lockedUntil();
    }

    static Count decode(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(" ");
        return new Count(Integer.parseInt(parts[0]), Instant.parse(parts[1]), Instant.parse(parts[2]));
    }
}
