package org.ohifgateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SingleFlightTest {

    private final Requests requests = new Requests();
    private final SingleFlight<String, String> flights = new SingleFlight<>();
    private final List<String> kept = new ArrayList<>();

    /** A fetch that waits until released, counting how often it ran. */
    private static final class SlowFetch implements SingleFlight.Loader<String> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String load() throws IOException {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return "answer";
        }
    }

    private Future<SingleFlight.Outcome<String>> ask(String key, SingleFlight.Loader<String> fetch) {
        return requests.start(() -> flights.run(key, fetch, kept::add));
    }

    @Test
    void requestsAskingTogetherShareOneFetch() throws Exception {
        SlowFetch fetch = new SlowFetch();
        Future<SingleFlight.Outcome<String>> first = ask("series", fetch);
        fetch.started.await(5, TimeUnit.SECONDS);
        List<Future<SingleFlight.Outcome<String>>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(ask("series", fetch));
        }
        requests.awaitParked(1);
        fetch.release.countDown();
        assertTrue(first.get(5, TimeUnit.SECONDS).led());
        for (Future<SingleFlight.Outcome<String>> other : others) {
            SingleFlight.Outcome<String> outcome = other.get(5, TimeUnit.SECONDS);
            assertEquals("answer", outcome.value());
            assertFalse(outcome.led());
        }
        assertEquals(1, fetch.runs.get(), "Orthanc asked once");
        assertEquals(List.of("answer"), kept, "kept once");
        assertFalse(flights.busy());
        flights.run("series", () -> "again", kept::add);
        assertEquals(List.of("answer", "again"), kept, "a later request fetches anew");
    }

    @Test
    void aChangeDuringTheFetchKeepsItFromBeingKeptButNotFromTheRequestsThatWaited() throws Exception {
        SlowFetch fetch = new SlowFetch();
        Future<SingleFlight.Outcome<String>> first = ask("series", fetch);
        fetch.started.await(5, TimeUnit.SECONDS);
        Future<SingleFlight.Outcome<String>> waiting = ask("series", fetch);
        requests.awaitParked(1);
        flights.spoil(key -> key.equals("series"));
        SlowFetch afterTheChange = new SlowFetch();
        afterTheChange.release.countDown();
        SingleFlight.Outcome<String> fresh = ask("series", afterTheChange).get(5, TimeUnit.SECONDS);
        assertTrue(fresh.led(), "a request after the change does not wait for the spoilt fetch");
        fetch.release.countDown();
        assertEquals("answer", first.get(5, TimeUnit.SECONDS).value());
        assertEquals("answer", waiting.get(5, TimeUnit.SECONDS).value());
        assertEquals(List.of("answer"), kept, "only the fetch after the change was kept");
        assertEquals(1, afterTheChange.runs.get());
    }

    @Test
    void otherKeysAreNotSpoilt() throws Exception {
        SlowFetch fetch = new SlowFetch();
        Future<SingleFlight.Outcome<String>> first = ask("series", fetch);
        fetch.started.await(5, TimeUnit.SECONDS);
        flights.spoil(key -> key.equals("another series"));
        fetch.release.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("answer"), kept);
    }

    @Test
    void aFailedFetchFailsEveryRequestThatWaitedForIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SingleFlight.Loader<String> failing = () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            throw new IOException("archive down");
        };
        Future<SingleFlight.Outcome<String>> first = ask("series", failing);
        started.await(5, TimeUnit.SECONDS);
        Future<SingleFlight.Outcome<String>> waiting = ask("series", failing);
        requests.awaitParked(1);
        release.countDown();
        for (Future<SingleFlight.Outcome<String>> request : List.of(first, waiting)) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> request.get(5, TimeUnit.SECONDS));
            assertEquals("archive down", failed.getCause().getMessage());
        }
        assertTrue(kept.isEmpty());
        assertFalse(flights.busy(), "a failure leaves nothing under way");
        assertSame("ok", flights.run("series", () -> "ok", kept::add).value());
    }
}
