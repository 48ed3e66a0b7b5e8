package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LoginDelayTest {

    @Test
    void onlyABoundedNumberOfRequestsWaitAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch sleeping = new CountDownLatch(2);
        LoginDelay delay = new LoginDelay(2, d -> {
            sleeping.countDown();
            release.await();
        });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(threads.submit(() -> delay.pause(Duration.ofSeconds(2))));
            }
            assertTrue(sleeping.await(5, TimeUnit.SECONDS), "two requests wait");
            // Both places are taken: further failures are answered at once, on the caller's thread.
            assertFalse(delay.pause(Duration.ofSeconds(2)));
            assertFalse(delay.pause(Duration.ofSeconds(2)));
            release.countDown();
            for (Future<Boolean> waiter : waiters) {
                assertTrue(waiter.get(5, TimeUnit.SECONDS));
            }
            assertEquals(true, delay.pause(Duration.ofMillis(1)), "places are given back");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void noDelayMeansNoWait() {
        assertFalse(new LoginDelay(1, d -> {
            throw new AssertionError("must not sleep");
        }).pause(Duration.ZERO));
    }
}
