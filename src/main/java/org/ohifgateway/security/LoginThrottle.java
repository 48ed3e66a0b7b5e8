package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per user name and per client address. After a few failures each further
 * one is answered more slowly; past the limit the name (or address) is refused for a cool-down,
 * whatever password comes next, so a guesser learns nothing while refused. Other users and
 * addresses are not affected. Counters live in memory, per server.
 */
public final class LoginThrottle {

    /** Bounds the memory an attacker can make the counters use. */
    private static final int MAX_TRACKED = 100_000;

    public record Limits(int slowAfter, int maxFailuresPerUser, int maxFailuresPerAddress,
                         Duration window, Duration coolDown, Duration slowStep, Duration slowMax) {
    }

    private static final class Counter {
        int failures;
        Instant windowStart;
        Instant lockedUntil = Instant.MIN;

        Counter(Instant now) {
            windowStart = now;
        }
    }

    private final Limits limits;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public LoginThrottle(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
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
        if (counters.size() >= MAX_TRACKED) {
            forgetIdle(now);
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
        Counter counter = counters.get(key);
        if (counter != null && !counter.lockedUntil.isAfter(clock.instant())) {
            counters.remove(key);
        }
    }

    private int count(String key, int limit, Instant now) {
        Counter counter = counters.computeIfAbsent(key, k -> new Counter(now));
        synchronized (counter) {
            if (Duration.between(counter.windowStart, now).compareTo(limits.window()) > 0
                    && !counter.lockedUntil.isAfter(now)) {
                counter.failures = 0;
                counter.windowStart = now;
            }
            counter.failures++;
            if (counter.failures >= limit) {
                counter.lockedUntil = now.plus(limits.coolDown());
                // The count starts again after the cool-down.
                counter.failures = 0;
                counter.windowStart = counter.lockedUntil;
            }
            return counter.failures == 0 ? limit : counter.failures;
        }
    }

    private Instant lockedUntil(String key) {
        Counter counter = counters.get(key);
        return counter == null ? Instant.MIN : counter.lockedUntil;
    }

    private void forgetIdle(Instant now) {
        counters.entrySet().removeIf(entry -> !entry.getValue().lockedUntil.isAfter(now)
                && Duration.between(entry.getValue().windowStart, now).compareTo(limits.window()) > 0);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String userKey(String user) {
        return "user:" + user;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
