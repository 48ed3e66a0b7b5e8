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
 * metrics ask.
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
        return throttle.refusedFor(user, address);
    }

    public void succeeded(String user) {
        throttle.succeeded(user);
    }

    /**
     * Counts a failed login of a user name and waits out its delay.
     *
     * @return how long the name or the address is now refused, if it is
     */
    public Optional<Duration> failed(String user, String address) {
        failures.increment();
        boolean wasRefused = throttle.refusedFor(user, address).isPresent();
        Duration wait = throttle.failed(user, address);
        LOG.info(() -> "failed login for user " + user + " from " + address);
        Optional<Duration> refused = throttle.refusedFor(user, address);
        if (!wasRefused && refused.isPresent()) {
            LOG.warning("logins for user " + user + " or from " + address
                    + " refused for a cool-down after repeated failures");
        }
        delay.pause(wait);
        return throttle.refusedFor(user, address);
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
