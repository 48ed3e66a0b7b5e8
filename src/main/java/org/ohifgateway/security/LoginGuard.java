package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.ohifgateway.config.GatewayConfig;

/**
 * The gateway's one {@link LoginThrottle}, with the delays of failed logins ({@link LoginDelay}),
 * their log lines and their count: what the login filter, the container's error page and the
 * metrics ask. With a directory, failures count per directory entry, so that the spellings a
 * directory takes for one user (ALICE, alice, alice@hospital.example) share one count.
 */
@ApplicationScoped
public class LoginGuard {

    private static final Logger LOG = Logger.getLogger(LoginGuard.class.getName());
    /** Failed logins that may wait out their delay at the same time (the server has ~200 request threads). */
    private static final int MAX_WAITING = 16;

    @Inject
    GatewayConfig config;
    @Inject
    FailureCounters counters;
    @Inject
    UserDirectory directory;

    private final LongAdder failures = new LongAdder();
    private LoginThrottle throttle;
    private LoginDelay delay;

    @PostConstruct
    void start() {
        throttle = new LoginThrottle(config.loginLimits(), Clock.systemUTC(), counters);
        delay = new LoginDelay(MAX_WAITING, wait -> Thread.sleep(wait.toMillis()));
    }

    /** How long the user name (null: none given) or the address is still refused, if it is. */
    public Optional<Duration> refusedFor(String user, String address) {
        return throttle.refusedFor(user == null ? null : account(user), address);
    }

    public void succeeded(String user) {
        throttle.succeeded(account(user));
    }

    /**
     * Counts a failed login of a user name and waits out its delay.
     *
     * @return how long the name or the address is now refused, if it is
     */
    public Optional<Duration> failed(String user, String address) {
        failures.increment();
        String account = account(user);
        String named = account.equals(user) ? user : user + " (" + account + ")";
        boolean wasRefused = throttle.refusedFor(account, address).isPresent();
        Duration wait = throttle.failed(account, address);
        LOG.info(() -> "failed login for user " + named + " from " + address);
        Optional<Duration> refused = throttle.refusedFor(account, address);
        if (!wasRefused && refused.isPresent()) {
            LOG.warning("logins for user " + named + " or from " + address
                    + " refused for a cool-down after repeated failures");
        }
        delay.pause(wait);
        return throttle.refusedFor(account, address);
    }

    /** What failures are counted by: the user's directory entry, else the name as given. */
    private String account(String user) {
        return directory.entryOf(user).orElse(user);
    }

    /** Failed logins this server has seen since it started. */
    public long failedLogins() {
        return failures.sum();
    }

    /** User names and addresses refused now. */
    public LoginThrottle.Lockouts lockouts() {
        return throttle.lockouts();
    }
}
