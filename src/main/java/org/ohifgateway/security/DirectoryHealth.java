package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Whether the directory can serve logins: the server's realm answers a login it could not check
 * with the same 401 as a wrong password, so the gateway asks the directory itself before it
 * counts a failure. An answer that it is down holds for a while however many logins fail; one
 * that it is up only briefly, so that the failures at the start of an outage (a viewer sends a
 * dozen requests at once) are not taken for wrong passwords. Concurrent callers wait for one
 * check. Going down and coming back are logged once each.
 */
final class DirectoryHealth {

    interface Check {
        /** Returns if the directory answered; throws why it did not. */
        void run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(DirectoryHealth.class.getName());

    private final Check check;
    private final Clock clock;
    private final Duration keepUp;
    private final Duration keepDown;
    /** When the last check began. */
    private Instant checkedAt;
    private String problem;

    /**
     * @param keepUp   how long an answer that the directory is up holds
     * @param keepDown how long an answer that it is down holds
     */
    DirectoryHealth(Check check, Clock clock, Duration keepUp, Duration keepDown) {
        this.check = check;
        this.clock = clock;
        this.keepUp = keepUp;
        this.keepDown = keepDown;
    }

    /** Whether the directory answers, asking it again unless the last answer still holds. */
    synchronized boolean reachable() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(problem == null ? keepUp : keepDown))) {
            String before = problem;
            try {
                check.run();
                problem = null;
            } catch (Exception e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (problem != null && (before == null || checkedAt == null)) {
                LOG.warning("the directory cannot be reached (" + problem + "); logins are answered 503 until it can");
            } else if (problem == null && before != null) {
                LOG.info("the directory can be reached again");
            }
            checkedAt = now;
        }
        return problem == null;
    }

    /** The last answer without asking again: whether the directory answered then. */
    synchronized boolean lastReachable() {
        return problem == null;
    }

    /** "reachable", or why not, as last asked. */
    synchronized String state() {
        return problem == null ? "reachable" : "not reachable (" + problem + ")";
    }
}
