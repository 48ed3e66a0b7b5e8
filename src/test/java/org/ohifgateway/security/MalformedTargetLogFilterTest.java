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

class MalformedTargetLogFilterTest {

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
        Logger own = Logger.getLogger(MalformedTargetLogFilter.class.getName());
        own.addHandler(capture);
        try {
            TestClock clock = new TestClock();
            MalformedTargetLogFilter filter = new MalformedTargetLogFilter(null, clock, Duration.ofMinutes(1));
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
        assertTrue(new MalformedTargetLogFilter(null, Clock.systemUTC(), Duration.ofMinutes(1)).isLoggable(plain));
        assertFalse(new MalformedTargetLogFilter(record -> false, Clock.systemUTC(), Duration.ofMinutes(1)).isLoggable(plain));
    }
}
