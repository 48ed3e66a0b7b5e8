package org.ohifgateway.audit;

import java.util.concurrent.atomic.LongAdder;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes through another handler and counts the records it could not write: a full disk, a file
 * that could not be reopened after rotation, a closed file. java.util.logging reports such
 * failures only once, on the server's stderr, and then drops lines without a word.
 */
final class DropCountingHandler extends Handler {

    private final Handler target;
    private final LongAdder dropped;
    /** Whether the record being published failed; set by the target's error reports, under this handler's lock. */
    private boolean failed;

    DropCountingHandler(Handler target, LongAdder dropped) {
        this.target = target;
        this.dropped = dropped;
        target.setErrorManager(new ErrorManager() {
            @Override
            public void error(String message, Exception cause, int code) {
                if (code == WRITE_FAILURE || code == FLUSH_FAILURE || code == FORMAT_FAILURE) {
                    synchronized (DropCountingHandler.this) {
                        failed = true;
                    }
                }
                super.error(message, cause, code);
            }
        });
    }

    @Override
    public synchronized void publish(LogRecord record) {
        // A handler without an open file ignores records without reporting an error.
        failed = !target.isLoggable(record);
        target.publish(record);
        if (failed) {
            dropped.increment();
        }
    }

    @Override
    public void flush() {
        target.flush();
    }

    @Override
    public void close() {
        target.close();
    }
}
