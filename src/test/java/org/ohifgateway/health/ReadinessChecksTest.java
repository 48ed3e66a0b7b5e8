package org.ohifgateway.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

class ReadinessChecksTest {

    private static HealthCheck check(boolean up) {
        return () -> new HealthCheckResponse("check", up ? Status.UP : Status.DOWN, Optional.empty());
    }

    @Test
    void readyOnlyWhenEveryCheckIsUp() {
        assertTrue(ReadinessChecks.allUp(List.of(check(true), check(true))));
        assertFalse(ReadinessChecks.allUp(List.of(check(true), check(false))));
        assertTrue(ReadinessChecks.allUp(List.of()), "no checks: nothing the gateway waits for");
    }

    @Test
    void aCheckThatFailsToAnswerCountsAsDown() {
        HealthCheck broken = () -> {
            throw new IllegalStateException("no answer");
        };
        assertFalse(ReadinessChecks.allUp(List.of(check(true), broken)));
    }
}
