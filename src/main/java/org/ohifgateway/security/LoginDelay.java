package org.ohifgateway.security;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Waits out the delay {@link LoginThrottle} gives a failed login, on the request's thread, but
 * only for a bounded number of requests at once: many failures in parallel must not tie up the
 * server's threads. Beyond the bound a failure is answered at once; the lockout still counts it.
 */
final class LoginDelay {

    interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    private final Semaphore waiting;
    private final Sleeper sleeper;

    LoginDelay(int maxWaiting, Sleeper sleeper) {
        this.waiting = new Semaphore(maxWaiting);
        this.sleeper = sleeper;
    }

    /** @return whether the caller waited */
    boolean pause(Duration delay) {
        if (delay.isZero() || !waiting.tryAcquire()) {
            return false;
        }
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.release();
        }
        return true;
    }
}
