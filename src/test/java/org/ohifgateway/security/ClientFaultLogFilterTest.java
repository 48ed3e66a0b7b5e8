package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

class ClientFaultLogFilterTest {

    private static ClientFaultLogFilter.Fault fault(String logger) {
        return ClientFaultLogFilter.PAYARA_FAULTS.stream().filter(fault -> fault.logger().equals(logger)).findFirst()
                .orElseThrow();
    }

    /** The filter the gateway puts on a server logger, alone on it. */
    private static ClientFaultLogFilter guard(String logger) {
        return new ClientFaultLogFilter(fault(logger), null, Clock.systemUTC(), Duration.ofMinutes(1));
    }

    /** Grizzly's exception for a broken chunked body; its real class is the server's, matched by name. */
    private static final class HttpBrokenContentException extends RuntimeException {
        HttpBrokenContentException() {
            super("Invalid byte representing a hex value within a chunk length encountered : 122");
        }
    }

    @Test
    void aBrokenChunkedBodyAndAnAbruptHttp2HangUpAreClientFaultsToo() {
        LogRecord chunk = new LogRecord(Level.WARNING, "GRIZZLY0013: Exception during FilterChain execution");
        chunk.setThrown(new HttpBrokenContentException());
        LogRecord wrapped = new LogRecord(Level.WARNING, "GRIZZLY0013: Exception during FilterChain execution");
        wrapped.setThrown(new IllegalStateException(new HttpBrokenContentException()));
        LogRecord other = new LogRecord(Level.WARNING, "GRIZZLY0013: Exception during FilterChain execution");
        other.setThrown(new IllegalStateException("a fault of the server's own"));
        ClientFaultLogFilter chain = guard("org.glassfish.grizzly.filterchain.DefaultFilterChain");
        assertFalse(chain.isLoggable(chunk));
        assertFalse(chain.isLoggable(wrapped));
        assertTrue(chain.isLoggable(other));

        LogRecord goAway = new LogRecord(Level.WARNING, "Unable to write GOAWAY.  Terminating session.");
        goAway.setThrown(new java.io.EOFException());
        LogRecord http2Other = new LogRecord(Level.WARNING, "something of the server's own");
        http2Other.setThrown(new IllegalStateException());
        ClientFaultLogFilter http2 = guard("org.glassfish.grizzly.http2.Http2Session");
        assertFalse(http2.isLoggable(goAway));
        assertTrue(http2.isLoggable(http2Other));
    }

    @Test
    void theServersRecordsOfAFailedDirectoryLoginAreOnlyCounted() {
        LogRecord refused = new LogRecord(Level.SEVERE, "ldaprealm.exception");
        refused.setThrown(new javax.security.auth.login.LoginException("javax.naming.AuthenticationException:"
                + " [LDAP: error code 49 - Invalid Credentials]"));
        LogRecord searchFailed = new LogRecord(Level.WARNING, "ldaprealm.searcherror");
        LogRecord searchTrace = new LogRecord(Level.WARNING, "security.exception");
        searchTrace.setThrown(new javax.naming.NamingException("LDAP response read timed out"));
        LogRecord other = new LogRecord(Level.WARNING, "a fault of the server's own");
        other.setThrown(new IllegalStateException());
        ClientFaultLogFilter realm = guard("javax.enterprise.system.core.security");
        assertFalse(realm.isLoggable(refused));
        assertFalse(realm.isLoggable(searchFailed));
        assertFalse(realm.isLoggable(searchTrace));
        assertTrue(realm.isLoggable(other));

        LogRecord webLine = new LogRecord(Level.WARNING, "web.login.failed");
        webLine.setParameters(new Object[] {"com.sun.enterprise.security.auth.login.common.LoginException"});
        LogRecord webLineAsText = new LogRecord(Level.WARNING, "WEB9102: Web Login Failed: {0}");
        webLineAsText.setParameters(webLine.getParameters());
        LogRecord webOther = new LogRecord(Level.INFO, "Context path from ServletContext:  differs from path from bundle: /");
        ClientFaultLogFilter web = guard("javax.enterprise.system.container.web.com.sun.web.security");
        assertFalse(web.isLoggable(webLine), "the key of the server's message");
        assertFalse(web.isLoggable(webLineAsText), "the message as the log shows it");
        assertTrue(web.isLoggable(webOther));

        ClientFaultLogFilter check = guard("javax.enterprise.system.core.security.com.sun.enterprise.security.jaspic.callback");
        assertFalse(check.isLoggable(new LogRecord(Level.INFO, "jaspic.loginfail")), "the login module's check");
        assertTrue(check.isLoggable(new LogRecord(Level.WARNING, "jaspic.unexpected")));
    }

    private static LogRecord decoderFailure() {
        LogRecord record = new LogRecord(Level.SEVERE, "AS-WEB-CORE-00037");
        try {
            URLDecoder.decode("/%zz", StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            record.setThrown(e);
        }
        return record;
    }

    @Test
    void decoderStackTracesAreDroppedAndCountedOncePerInterval() {
        List<String> reports = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                reports.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger own = Logger.getLogger(ClientFaultLogFilter.class.getName());
        own.addHandler(capture);
        try {
            TestClock clock = new TestClock();
            ClientFaultLogFilter filter = new ClientFaultLogFilter(fault("jakarta.enterprise.web.core"), null, clock,
                    Duration.ofMinutes(1));
            for (int i = 0; i < 100; i++) {
                assertFalse(filter.isLoggable(decoderFailure()));
            }
            clock.now = clock.now.plusSeconds(61);
            assertFalse(filter.isLoggable(decoderFailure()));
            assertEquals(2, reports.size(), reports.toString());
            assertTrue(reports.get(0).startsWith("1 request(s)"), reports.get(0));
            assertTrue(reports.get(1).startsWith("100 request(s)"), "the 99 suppressed since, and this one: " + reports.get(1));
        } finally {
            own.removeHandler(capture);
        }
    }

    @Test
    void everyOtherRecordIsJudgedAsBefore() {
        LogRecord plain = new LogRecord(Level.SEVERE, "something else failed");
        plain.setThrown(new IllegalArgumentException("not from the decoder"));
        ClientFaultLogFilter.Fault decoder = fault("jakarta.enterprise.web.core");
        assertTrue(new ClientFaultLogFilter(decoder, null, Clock.systemUTC(), Duration.ofMinutes(1)).isLoggable(plain));
        assertFalse(new ClientFaultLogFilter(decoder, record -> false, Clock.systemUTC(), Duration.ofMinutes(1))
                .isLoggable(plain));
    }
}
