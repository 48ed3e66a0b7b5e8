package org.ohifgateway.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** Requests on threads of their own, so a test can see when one is parked waiting for another. */
final class Requests {

    private final List<Thread> threads = new ArrayList<>();

    <T> Future<T> start(Callable<T> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(request.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return result;
    }

    /** Waits until every request started so far, but the first {@code running}, is parked. */
    void awaitParked(int running) throws InterruptedException {
        for (Thread thread : threads.subList(running, threads.size())) {
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                    && thread.isAlive()) {
                Thread.sleep(2);
            }
        }
    }
}
