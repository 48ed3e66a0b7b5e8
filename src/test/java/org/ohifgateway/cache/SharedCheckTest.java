package org.ohifgateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SharedCheckTest {

    private final Requests requests = new Requests();

    /** A check whose runs each wait for a permit, numbering themselves. */
    private static final class GatedCheck implements SharedCheck.Run {
        final Semaphore permits = new Semaphore(0);
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        volatile IOException failure;

        @Override
        public void run() throws IOException {
            started.incrementAndGet();
            firstStarted.countDown();
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void requestsArrivingDuringARunWaitForTheNextAndShareIt() throws Exception {
        GatedCheck check = new GatedCheck();
        SharedCheck shared = new SharedCheck(check);
        Future<Void> first = requests.start(() -> {
            shared.awaitFreshRun();
            return null;
        });
        check.firstStarted.await(5, TimeUnit.SECONDS);
        List<Future<Integer>> during = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            during.add(requests.start(() -> {
                shared.awaitFreshRun();
                return check.started.get();
            }));
        }
        requests.awaitParked(1);
        check.permits.release();
        // One permit so far: had the first request needed a second run, it would still be waiting.
        // (What the run counter says once it returned is no proof: a waiting request may have
        // started the next run already.)
        first.get(5, TimeUnit.SECONDS);
        // The second run begins only now; release it once it has.
        while (check.started.get() < 2) {
            Thread.sleep(2);
        }
        check.permits.release();
        for (Future<Integer> request : during) {
            assertEquals(2, request.get(5, TimeUnit.SECONDS), "not the run under way when it came, the next");
        }
        assertEquals(2, check.started.get(), "six requests, one run");
    }

    @Test
    void aRequestWhenNoneRunsRunsTheCheckItself() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SharedCheck shared = new SharedCheck(runs::incrementAndGet);
        shared.awaitFreshRun();
        shared.awaitFreshRun();
        assertEquals(2, runs.get(), "each request after the last run needs a run of its own");
    }

    @Test
    void aFailedRunFailsItsRequestsAndTheNextRunTriesAgain() throws Exception {
        GatedCheck check = new GatedCheck();
        check.failure = new IOException("feed unreadable");
        SharedCheck shared = new SharedCheck(check);
        Future<Void> first = requests.start(() -> {
            shared.awaitFreshRun();
            return null;
        });
        check.firstStarted.await(5, TimeUnit.SECONDS);
        check.permits.release();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("feed unreadable"));
        check.failure = null;
        check.permits.release();
        shared.awaitFreshRun();
        assertEquals(2, check.started.get());
    }
}
