package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.naming.NamingException;

import org.ohifgateway.config.GatewayConfig;

/**
 * The gateway's {@link UserDirectory}: the directory of gateway.ldap.*, asked with
 * {@link DirectoryClient}. Entries found for a name are kept a few minutes (names it does not
 * know, one), so that the audit trail and the lockout cost no search per request.
 */
@ApplicationScoped
public class DirectoryUsers implements UserDirectory {

    private static final Logger LOG = Logger.getLogger(DirectoryUsers.class.getName());
    /** During an outage the directory is asked again at most this often. */
    private static final Duration KEEP_DOWN = Duration.ofSeconds(2);
    private static final Duration KEEP_FOUND = Duration.ofMinutes(5);
    private static final Duration KEEP_UNKNOWN = Duration.ofMinutes(1);
    /** Bounds the memory names a client makes up can take. */
    private static final int MAX_NAMES = 10_000;

    private record Entry(Optional<String> dn, Instant until) {
    }

    @Inject
    GatewayConfig config;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private DirectoryClient client;
    private DirectoryHealth health;

    @PostConstruct
    void start() {
        config.directory().ifPresent(settings -> {
            client = new DirectoryClient(settings);
            health = new DirectoryHealth(client::check, clock, KEEP_DOWN);
        });
    }

    @Override
    public boolean reachable() {
        return health == null || health.reachable();
    }

    @Override
    public Optional<String> entryOf(String loginName) {
        // After an outage the first successful login asks again, which also logs the directory's return.
        if (client == null || !health.lastReachable() && !health.reachable()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry known = entries.get(loginName);
        if (known != null && now.isBefore(known.until())) {
            return known.dn();
        }
        try {
            Optional<String> dn = client.entryOf(loginName);
            if (entries.size() >= MAX_NAMES) {
                entries.clear();
            }
            entries.put(loginName, new Entry(dn, now.plus(dn.isPresent() ? KEEP_FOUND : KEEP_UNKNOWN)));
            return dn;
        } catch (NamingException e) {
            LOG.log(Level.FINE, "no directory entry looked up for a login name", e);
            return Optional.empty();
        }
    }

    @Override
    public String state() {
        if (health == null) {
            return "none (gateway.realm=file)";
        }
        health.reachable();
        return health.state();
    }
}
