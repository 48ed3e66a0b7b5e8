package org.ohifgateway.cache;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A check of Orthanc's state that many requests share: each waits for a run that started after
 * it arrived (so it sees every change made before it asked), and requests arriving together
 * share one run. One run at a time; the request that finds none running performs the next one.
 */
final class SharedCheck {

    interface Run {
        void run() throws IOException;
    }

    private final Run check;
    private long started;
    private long finished;
    private boolean running;
    private IOException lastFailure;

    SharedCheck(Run check) {
        this.check = check;
    }

    /** Returns once a run that began after this call has ended; throws that run's failure. */
    void awaitFreshRun() throws IOException {
        long needed;
        synchronized (this) {
            // A run under way began before this call: the one after it is needed.
            needed = started + 1;
        }
        while (true) {
            synchronized (this) {
                while (running && finished < needed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for the archive check");
                    }
                }
                if (finished >= needed) {
                    if (lastFailure != null) {
                        throw new IOException(lastFailure.getMessage(), lastFailure);
                    }
                    return;
                }
                running = true;
                started++;
            }
            IOException failure = null;
            try {
                check.run();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException | Error e) {
                failure = new IOException(e);
                throw e;
            } finally {
                synchronized (this) {
                    running = false;
                    finished = started;
                    lastFailure = failure;
                    notifyAll();
                }
            }
        }
    }
}
