package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Whether the directory can serve logins, asked at most once per interval however many logins
 * fail: the server's realm answers a login it could not check with the same 401 as a wrong
 * password, so the gateway asks the directory itself before it counts a failure. Going down and
 * coming back are logged once each.
 */
final class DirectoryHealth {

    interface Check {
        /** Returns if the directory answered; throws why it did not. */
        void run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(DirectoryHealth.class.getName());

    private final Check check;
    private final Clock clock;
    private final Duration interval;
    private Instant checkedAt;
    private String problem;

    DirectoryHealth(Check check, Clock clock, Duration interval) {
        this.check = check;
        this.clock = clock;
        this.interval = interval;
    }

    /** Whether the directory answers, asking it again if the last answer is older than the interval. */
    synchronized boolean reachable() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(interval))) {
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
            // Taken after the check, which may have waited out its timeouts.
            checkedAt = clock.instant();
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
