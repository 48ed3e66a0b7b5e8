package org.ohifgateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import org.junit.jupiter.api.Test;

class DropCountingHandlerTest {

    private final LongAdder dropped = new LongAdder();

    /** A stream that fails once its "disk" is full, as a FileHandler's does. */
    private static final class FillingStream extends OutputStream {

        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean full;

        @Override
        public void write(int b) throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            written.write(b);
        }
    }

    private static LogRecord line(String text) {
        return new LogRecord(Level.INFO, text);
    }

    @Test
    void linesTheHandlerCouldNotWriteAreCountedAndWrittenOnesAreNot() {
        FillingStream disk = new FillingStream();
        StreamHandler file = new StreamHandler(disk, new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        DropCountingHandler handler = new DropCountingHandler(file, dropped);

        handler.publish(line("first"));
        handler.publish(line("second"));
        assertEquals(0, dropped.sum());
        assertEquals(2, disk.written.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("INFO")).count());

        disk.full = true;
        handler.publish(line("third"));
        handler.publish(line("fourth"));
        assertEquals(2, dropped.sum(), "each line the disk did not take, once");

        disk.full = false;
        handler.publish(line("fifth"));
        assertEquals(2, dropped.sum());
    }

    @Test
    void linesForAClosedFileAreCounted() {
        StreamHandler file = new StreamHandler(new ByteArrayOutputStream(), new SimpleFormatter());
        DropCountingHandler handler = new DropCountingHandler(file, dropped);
        handler.close();

        handler.publish(line("after the end"));

        assertEquals(1, dropped.sum());
    }
}
