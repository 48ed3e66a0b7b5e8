package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.ohifgateway.config.LoginLimits;
import org.ohifgateway.security.FailureCounters.Count;

/**
 * Counts failed logins per user name and per client address. After a few failures each further
 * one is answered more slowly; past the limit the name (or address) is refused for a cool-down,
 * whatever password comes next, so a guesser learns nothing while refused. Other users and
 * addresses are not affected. The counts live in {@link FailureCounters}.
 */
public final class LoginThrottle {

    /** Bounds the memory an attacker can make the counters use. */
    private static final int MAX_TRACKED = 100_000;
    private static final String USER = "user:";
    private static final String ADDRESS = "address:";

    /** User names and client addresses refused at one moment. */
    public record Lockouts(long users, long addresses) {
    }

    private final LoginLimits limits;
    private final Clock clock;
    private final FailureCounters counters;

    public LoginThrottle(LoginLimits limits, Clock clock, FailureCounters counters) {
        this.limits = limits;
        this.clock = clock;
        this.counters = counters;
    }

    /** How long the user name (null: none given) or the address is still refused, if it is. */
    public Optional<Duration> refusedFor(String user, String address) {
        Instant now = clock.instant();
        Instant until = max(user == null ? Instant.MIN : lockedUntil(userKey(user)), lockedUntil(addressKey(address)));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** Records a failed login; answers how long to delay the reply (zero until slowAfter failures). */
    public Duration failed(String user, String address) {
        Instant now = clock.instant();
        if (counters.mustSweep(MAX_TRACKED)) {
            counters.removeIf((key, count) -> !count.lockedUntil().isAfter(now)
                    && Duration.between(count.windowStart(), now).compareTo(limits.window()) > 0);
        }
        int userFailures = count(userKey(user), limits.maxFailuresPerUser(), now);
        int addressFailures = count(addressKey(address), limits.maxFailuresPerAddress(), now);
        int beyond = Math.max(userFailures, addressFailures) - limits.slowAfter();
        if (beyond <= 0) {
            return Duration.ZERO;
        }
        Duration delay = limits.slowStep().multipliedBy(beyond);
        return delay.compareTo(limits.slowMax()) > 0 ? limits.slowMax() : delay;
    }

    /** A successful login clears the user's failures (not the address's: one valid account must not reset a guesser's count). */
    public void succeeded(String user) {
        String key = userKey(user);
        if (counters.get(key) != null) {
            Instant now = clock.instant();
            counters.update(key, count -> count == null || !count.lockedUntil().isAfter(now) ? null : count);
        }
    }

    /** The user names and addresses refused now (each count goes through every key: for a scrape, not a request). */
    public Lockouts lockouts() {
        Instant now = clock.instant();
        return new Lockouts(locked(USER, now), locked(ADDRESS, now));
    }

    private long locked(String prefix, Instant now) {
        return counters.count((key, count) -> key.startsWith(prefix) && count.lockedUntil().isAfter(now));
    }

    private int count(String key, int limit, Instant now) {
        Count count = counters.update(key, current -> next(current, limit, now));
        return count.failures() == 0 ? limit : count.failures();
    }

    private Count next(Count current, int limit, Instant now) {
        Count count = current != null ? current : new Count(0, now, Instant.MIN);
        int failures = count.failures();
        Instant windowStart = count.windowStart();
        if (Duration.between(windowStart, now).compareTo(limits.window()) > 0 && !count.lockedUntil().isAfter(now)) {
            failures = 0;
            windowStart = now;
        }
        failures++;
        if (failures >= limit) {
            // The count starts again after the cool-down.
            Instant lockedUntil = now.plus(limits.coolDown());
            return new Count(0, lockedUntil, lockedUntil);
        }
        return new Count(failures, windowStart, count.lockedUntil());
    }

    private Instant lockedUntil(String key) {
        Count count = counters.get(key);
        return count == null ? Instant.MIN : count.lockedUntil();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String userKey(String user) {
        return USER + user;
    }

    private static String addressKey(String address) {
        return ADDRESS + address;
    }
}
