package org.ohifgateway.security;

import java.io.Serializable;
import java.time.Instant;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * Where {@link LoginThrottle} keeps its counts of failed logins, by key (a user name or an
 * address): this server's memory, or a store several gateways share.
 */
public interface FailureCounters {

    /**
     * Failed logins of one key.
     *
     * @param failures    failures in the current window
     * @param windowStart when the current window began
     * @param lockedUntil until when the key is refused ({@link Instant#MIN}: it is not)
     */
    record Count(int failures, Instant windowStart, Instant lockedUntil) implements Serializable {
    }

    /** The count of the key, or null when it has none. */
    Count get(String key);

    /**
     * Replaces the key's count, atomically against every other change of it.
     *
     * @param change gets the current count (null: none) and returns the new one (null: remove it)
     * @return the new count
     */
    Count update(String key, UnaryOperator<Count> change);

    /** Removes the counts the test accepts. */
    void removeIf(BiPredicate<String, Count> test);

    /** How many counts the test accepts. */
    long count(BiPredicate<String, Count> test);

    /** Whether stale counts must be removed now, because as many as the limit are kept. */
    boolean mustSweep(int limit);
}
