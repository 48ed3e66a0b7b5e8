package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.ohifgateway.config.LoginLimits;

class LoginThrottleTest {

    private final TestClock clock = new TestClock();
    private final LoginThrottle throttle = new LoginThrottle(new LoginLimits(3, 5, 8, Duration.ofMinutes(15),
            Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(2)), clock, new LocalFailureCounters());

    @Test
    void failuresAreSlowedThenTheUserIsRefusedForTheCoolDown() {
        assertEquals(Duration.ZERO, throttle.failed("ann", "10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.failed("ann", "10.0.0.2"));
        assertEquals(Duration.ZERO, throttle.failed("ann", "10.0.0.3"));
        assertEquals(Duration.ofMillis(500), throttle.failed("ann", "10.0.0.4"));
        assertEquals(Optional.empty(), throttle.refusedFor("ann", "10.0.0.9"));
        throttle.failed("ann", "10.0.0.5");
        assertEquals(Optional.of(Duration.ofMinutes(5)), throttle.refusedFor("ann", "10.0.0.9"), "whatever the address");
        assertEquals(Optional.empty(), throttle.refusedFor("bob", "10.0.0.9"), "other users go on");

        clock.now = clock.now.plus(Duration.ofMinutes(4));
        throttle.succeeded("ann");
        assertTrue(throttle.refusedFor("ann", "10.0.0.9").isPresent(), "a right password does not end the cool-down");
        clock.now = clock.now.plus(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals(Optional.empty(), throttle.refusedFor("ann", "10.0.0.9"));
    }

    @Test
    void oneAddressGuessingManyNamesIsRefused() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        assertEquals(Optional.empty(), throttle.refusedFor(null, "192.0.2.7"));
        assertEquals(Duration.ofSeconds(2), throttle.failed("user7", "192.0.2.7"), "slowing is capped");
        assertTrue(throttle.refusedFor(null, "192.0.2.7").isPresent());
        assertTrue(throttle.refusedFor("someone", "192.0.2.7").isPresent());
        assertEquals(Optional.empty(), throttle.refusedFor("someone", "192.0.2.8"));
    }

    @Test
    void successClearsAUsersCountAndOldFailuresAreForgotten() {
        throttle.failed("ann", "10.0.0.1");
        throttle.failed("ann", "10.0.0.1");
        throttle.failed("ann", "10.0.0.1");
        throttle.succeeded("ann");
        throttle.failed("ann", "10.0.0.1");
        throttle.failed("ann", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.refusedFor("ann", "10.0.0.2"));

        clock.now = clock.now.plus(Duration.ofMinutes(16));
        for (int i = 0; i < 4; i++) {
            throttle.failed("ann", "10.0.0.3");
        }
        assertEquals(Optional.empty(), throttle.refusedFor("ann", "10.0.0.2"), "the window started again");
    }

    @Test
    void theLockoutsInForceAreCountedByNameAndByAddress() {
        assertEquals(new LoginThrottle.Lockouts(0, 0), throttle.lockouts());
        for (int i = 0; i < 5; i++) {
            throttle.failed("ann", "10.0.0." + i);
        }
        assertEquals(new LoginThrottle.Lockouts(1, 0), throttle.lockouts(), "failures alone are no lockout");
        for (int i = 0; i < 8; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        assertEquals(new LoginThrottle.Lockouts(1, 1), throttle.lockouts());

        clock.now = clock.now.plus(Duration.ofMinutes(5).plusSeconds(1));
        assertEquals(new LoginThrottle.Lockouts(0, 0), throttle.lockouts(), "a cool-down that ended is none");
    }
}
