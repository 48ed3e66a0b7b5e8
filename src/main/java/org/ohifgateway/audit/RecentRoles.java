package org.ohifgateway.audit;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.ohifgateway.security.UsersReloaded;

/**
 * The roles of the users audited in the last second, for the audit line. Asking the container
 * for each role takes a policy check under one server-wide lock, three per request; under load
 * that lock was the gateway's most contended one. Only the audit line uses these roles: access
 * is always decided by the container, per request. A line may name roles up to {@link #LIFETIME}
 * old, never older than the last reading of the users file.
 */
@ApplicationScoped
public class RecentRoles {

    static final Duration LIFETIME = Duration.ofSeconds(1);
    /** Bounds the memory; past it the memory starts afresh. */
    static final int MAX_USERS = 1_000;

    private record Seen(Set<String> roles, long atMillis) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
    private final LongSupplier millis;

    /** For the container: a monotonic clock. */
    public RecentRoles() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    RecentRoles(LongSupplier millis) {
        this.millis = millis;
    }

    /** The user's roles as asked within the last {@link #LIFETIME}, else as {@code ask} says now. */
    public Set<String> of(String user, Supplier<Set<String>> ask) {
        long now = millis.getAsLong();
        Seen known = seen.get(user);
        if (known != null && now - known.atMillis() < LIFETIME.toMillis()) {
            return known.roles();
        }
        Set<String> roles = Set.copyOf(ask.get());
        if (seen.size() >= MAX_USERS) {
            seen.clear();
        }
        seen.put(user, new Seen(roles, now));
        return roles;
    }

    /** Users known now; for tests. */
    int size() {
        return seen.size();
    }

    void forget(@Observes UsersReloaded reloaded) {
        seen.clear();
    }
}
