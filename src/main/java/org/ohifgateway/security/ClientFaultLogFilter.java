package org.ohifgateway.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import javax.naming.NamingException;
import javax.security.auth.login.LoginException;

/**
 * The server logs a stack trace for some faults that any client can cause before the gateway's
 * code runs, so anyone could flood the server log. On the logger of each, this filter drops those
 * records and instead logs how many there were, at most once per interval; every other record of
 * the logger passes as before. A failed login is such a fault too: the gateway logs its own line
 * for each (LoginGuard), so the server's records of it are only counted.
 */
public final class ClientFaultLogFilter implements Filter {

    /** A fault a client can cause, the server logger that reports it, and how to tell its records. */
    public record Fault(String logger, String description, Predicate<LogRecord> matches) {
    }

    /** Fills in a record's message from its resource bundle and parameters, as the server's log does. */
    private static final Formatter MESSAGES = new SimpleFormatter();

    /** The faults of Payara Micro 6 (GlassFish web container, Grizzly) known to log a stack trace. */
    public static final List<Fault> PAYARA_FAULTS = List.of(
            // GET /%zz: a 30-line SEVERE stack trace of the URI decoder.
            new Fault("jakarta.enterprise.web.core", "request(s) with a malformed percent-escape in the target"
                    + " refused by the server",
                    record -> thrownFrom(record, IllegalArgumentException.class, "URLDecoder")),
            // Transfer-Encoding: chunked with a chunk size such as "zz": a 19-line WARNING (answered 400).
            new Fault("org.glassfish.grizzly.filterchain.DefaultFilterChain", "request(s) with a malformed chunked body"
                    + " refused by the server",
                    record -> causedBy(record, "HttpBrokenContentException")),
            // An HTTP/2 client that hangs up without closing its session: "Unable to write GOAWAY".
            new Fault("org.glassfish.grizzly.http2.Http2Session", "HTTP/2 connection(s) closed abruptly by the client",
                    record -> record.getThrown() instanceof IOException),
            // A login the LDAP realm refuses: a SEVERE "ldaprealm.exception" with a 70-line stack
            // trace, when a search fails two WARNINGs more ("ldaprealm.searcherror", "security.exception").
            new Fault("javax.enterprise.system.core.security", "record(s) of failed logins in the server's LDAP realm",
                    record -> String.valueOf(record.getMessage()).startsWith("ldaprealm.")
                            || record.getThrown() instanceof LoginException || record.getThrown() instanceof NamingException),
            // The web container's line for every failed login, whatever the realm: "WEB9102: Web
            // Login Failed: ...", which the record holds as a key of the server's messages.
            new Fault("javax.enterprise.system.container.web.com.sun.web.security", "failed login line(s) of the server",
                    record -> "web.login.failed".equals(record.getMessage())
                            || MESSAGES.formatMessage(record).startsWith("WEB9102")),
            // The same for a login checked through the gateway's login module (BasicLoginModule).
            new Fault("javax.enterprise.system.core.security.com.sun.enterprise.security.jaspic.callback",
                    "failed login line(s) of the server's login check", record -> "jaspic.loginfail".equals(record.getMessage())));

    private static final Logger LOG = Logger.getLogger(ClientFaultLogFilter.class.getName());

    private final Fault fault;
    private final Filter previous;
    private final Clock clock;
    private final Duration interval;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Instant lastReport = Instant.MIN;

    public ClientFaultLogFilter(Fault fault, Filter previous, Clock clock, Duration interval) {
        this.fault = fault;
        this.previous = previous;
        this.clock = clock;
        this.interval = interval;
    }

    public Filter previous() {
        return previous;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!fault.matches().test(record)) {
            return previous == null || previous.isLoggable(record);
        }
        long count = dropped.incrementAndGet();
        Instant now = clock.instant();
        if (!now.isBefore(lastReport.plus(interval))) {
            lastReport = now;
            dropped.addAndGet(-count);
            LOG.warning(() -> count + " " + fault.description()
                    + " (stack traces suppressed; reported at most every " + interval.toSeconds() + " s)");
        }
        return false;
    }

    /** Whether the record's exception is of the type and thrown from a class whose name ends so. */
    static boolean thrownFrom(LogRecord record, Class<? extends Throwable> type, String classNameEnd) {
        Throwable thrown = record.getThrown();
        if (!type.isInstance(thrown)) {
            return false;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().endsWith(classNameEnd)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the record's exception, or one of its causes, has this simple class name (the server's own classes are not visible here). */
    static boolean causedBy(LogRecord record, String simpleName) {
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().equals(simpleName)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
