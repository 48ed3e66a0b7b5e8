package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Payara's connector logs a 30-line SEVERE stack trace for every request target with a malformed
 * percent-escape (such as {@code GET /%zz}), before any application code runs, so anyone could
 * flood the server log. This filter drops those records and instead logs how many there were, at
 * most once per interval; every other record of the logger passes as before.
 */
public final class MalformedTargetLogFilter implements Filter {

    /** The logger of Payara's (GlassFish's) web container core. */
    public static final String CONNECTOR_LOGGER = "jakarta.enterprise.web.core";

    private static final Logger LOG = Logger.getLogger(MalformedTargetLogFilter.class.getName());

    private final Filter previous;
    private final Clock clock;
    private final Duration interval;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Instant lastReport = Instant.MIN;

    public MalformedTargetLogFilter(Filter previous, Clock clock, Duration interval) {
        this.previous = previous;
        this.clock = clock;
        this.interval = interval;
    }

    public Filter previous() {
        return previous;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!isMalformedTarget(record)) {
            return previous == null || previous.isLoggable(record);
        }
        long count = dropped.incrementAndGet();
        Instant now = clock.instant();
        if (!now.isBefore(lastReport.plus(interval))) {
            lastReport = now;
            dropped.addAndGet(-count);
            LOG.warning(() -> count + " request(s) with a malformed percent-escape in the target refused by the server"
                    + " (stack traces suppressed; reported at most every " + interval.toSeconds() + " s)");
        }
        return false;
    }

    /** The URI decoder's complaint about an escape such as %zz or %u002e. */
    static boolean isMalformedTarget(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (!(thrown instanceof IllegalArgumentException)) {
            return false;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().endsWith("URLDecoder")) {
                return true;
            }
        }
        return false;
    }
}
