package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Whether the directory can serve logins: the server's realm answers a login it could not check
 * with the same 401 as a wrong password, so the gateway asks the directory itself before it
 * counts a failure. An answer that it is down holds for a while however many logins fail; one
 * that it is up holds only for the failures that came while or before that check ran, so that
 * none at the start of an outage (a viewer sends a dozen requests at once) is taken for a wrong
 * password. One check runs at a time; failures that come while it runs take its answer, so that
 * many wrong passwords at once do not queue up behind checks. Going down and coming back are
 * logged once each.
 */
final class DirectoryHealth {

    interface Check {
        /** Returns if the directory answered; throws why it did not. */
        void run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(DirectoryHealth.class.getName());

    private final Check check;
    private final Clock clock;
    private final Duration keepDown;
    /** When the last check began. */
    private Instant checkedAt;
    private String problem;
    private volatile boolean checking;

    /** @param keepDown how long an answer that the directory is down holds */
    DirectoryHealth(Check check, Clock clock, Duration keepDown) {
        this.check = check;
        this.clock = clock;
        this.keepDown = keepDown;
    }

    /**
     * Whether the directory answers now: the last answer if it was down and is recent, or if it
     * was up and that check ran while or after this call came; otherwise the directory is asked.
     */
    boolean reachable() {
        Instant asked = clock.instant();
        boolean joining = checking;
        synchronized (this) {
            Instant now = clock.instant();
            boolean holds = checkedAt != null && (problem == null ? joining || !checkedAt.isBefore(asked)
                    : now.isBefore(checkedAt.plus(keepDown)));
            if (!holds) {
                checking = true;
                try {
                    ask(now);
                } finally {
                    checking = false;
                }
            }
            return problem == null;
        }
    }

    private void ask(Instant now) {
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

    /** The last answer without asking again: whether the directory answered then. */
    synchronized boolean lastReachable() {
        return problem == null;
    }

    /** "reachable", or why not, as last asked. */
    synchronized String state() {
        return problem == null ? "reachable" : "not reachable (" + problem + ")";
    }
}
