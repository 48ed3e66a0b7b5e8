package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.naming.CommunicationException;

import org.junit.jupiter.api.Test;

class DirectoryHealthTest {

    private final TestClock clock = new TestClock();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger checks = new AtomicInteger();
    private final DirectoryHealth health = new DirectoryHealth(() -> {
        checks.incrementAndGet();
        if (down.get()) {
            throw new CommunicationException("127.0.0.1:636");
        }
    }, clock, Duration.ofSeconds(2));

    @Test
    void anOutageIsSeenAtOnceAndTheDirectoryIsAskedAtMostOncePerIntervalWhileItLasts() {
        assertTrue(health.reachable());
        assertTrue(health.reachable());
        assertEquals(1, checks.get(), "failures at the same moment share one check");

        down.set(true);
        clock.now = clock.now.plusMillis(1);
        assertFalse(health.reachable(), "an answer that it was up a moment ago does not hold for a later failure");
        assertFalse(health.lastReachable());
        assertEquals("not reachable (CommunicationException: 127.0.0.1:636)", health.state());
        for (int i = 0; i < 50; i++) {
            assertFalse(health.reachable());
        }
        assertEquals(2, checks.get());

        down.set(false);
        clock.now = clock.now.plusSeconds(2);
        assertTrue(health.reachable(), "back by itself at the next check");
        assertEquals("reachable", health.state());
        assertEquals(3, checks.get());
    }

    @Test
    void theLastAnswerIsGivenWithoutAsking() {
        down.set(true);
        assertTrue(health.lastReachable(), "nothing known yet: no reason to think it down");
        assertEquals(0, checks.get());
        health.reachable();
        assertFalse(health.lastReachable());
        assertEquals(1, checks.get());
    }

    @Test
    void failuresThatComeWhileACheckRunsTakeItsAnswer() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger slowChecks = new AtomicInteger();
        DirectoryHealth slow = new DirectoryHealth(() -> {
            slowChecks.incrementAndGet();
            running.countDown();
            finish.await();
        }, clock, Duration.ofSeconds(2));
        Thread first = new Thread(slow::reachable);
        first.start();
        running.await();
        clock.now = clock.now.plusMillis(5);
        AtomicBoolean answer = new AtomicBoolean();
        Thread second = new Thread(() -> answer.set(slow.reachable()));
        second.start();
        while (second.getState() != Thread.State.BLOCKED) {
            Thread.sleep(5);
        }
        finish.countDown();
        first.join();
        second.join();
        assertTrue(answer.get());
        assertEquals(1, slowChecks.get(), "the second failure came while the check ran: no check of its own");
    }
}
