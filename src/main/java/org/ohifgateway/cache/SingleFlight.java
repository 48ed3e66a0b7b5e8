package org.ohifgateway.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One computation per key at a time: whoever asks for a key while its answer is being fetched
 * waits for that answer instead of asking Orthanc again. A change that touches a key while its
 * answer is under way spoils it for keeping; the requests that waited still get it, as they
 * asked before the change.
 */
final class SingleFlight<K, V> {

    interface Loader<V> {
        V load() throws IOException;
    }

    /** @param led whether this request fetched the answer itself */
    record Outcome<V>(V value, boolean led) {
    }

    private static final class Flight<V> {
        final CompletableFuture<V> answer = new CompletableFuture<>();
        boolean spoiled;
    }

    private final Map<K, Flight<V>> flights = new HashMap<>();

    /**
     * The answer for a key: fetched by this request, or by the one already fetching it.
     *
     * @param keeper keeps a fetched answer no change has spoiled; it runs before the fetch counts
     *               as ended, so the answer is never between "under way" and "kept" unseen
     */
    Outcome<V> run(K key, Loader<V> loader, Consumer<V> keeper) throws IOException {
        Flight<V> flight;
        boolean leads;
        synchronized (this) {
            flight = flights.get(key);
            leads = flight == null;
            if (leads) {
                flight = new Flight<>();
                flights.put(key, flight);
            }
        }
        if (!leads) {
            return new Outcome<>(await(flight), false);
        }
        try {
            V value = loader.load();
            flight.answer.complete(value);
            synchronized (this) {
                if (!flight.spoiled) {
                    keeper.accept(value);
                }
            }
            return new Outcome<>(value, true);
        } catch (IOException | RuntimeException | Error e) {
            flight.answer.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (this) {
                flights.remove(key, flight);
            }
        }
    }

    private static <V> V await(Flight<V> flight) throws IOException {
        try {
            return flight.answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the archive's answer");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * Spoils the answers under way for these keys; later requests for them start a fetch of their
     * own. Spoil before removing kept answers: an answer then cannot slip in between.
     */
    synchronized void spoil(Predicate<K> which) {
        flights.entrySet().removeIf(entry -> {
            if (which.test(entry.getKey())) {
                entry.getValue().spoiled = true;
                return true;
            }
            return false;
        });
    }

    /** Whether any answer is under way. */
    synchronized boolean busy() {
        return !flights.isEmpty();
    }
}
