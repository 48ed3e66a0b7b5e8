package org.ohifgateway.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Kept bodies are gzip: what they take in memory, and what most clients are sent as they are. */
final class Gzip {

    private Gzip() {
    }

    static byte[] compress(byte[] plain) {
        return recode(out -> out, gzip -> gzip.write(plain));
    }

    /** The body of a gzip answer, decompressed, through a stream that changes it, compressed again. */
    static byte[] rewrite(byte[] gzip, UnaryOperator<OutputStream> change) {
        return recode(change, out -> inflate(gzip, out));
    }

    /** Writes the decompressed body to the stream. */
    static long inflate(byte[] gzip, OutputStream out) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.transferTo(out);
        }
    }

    private interface Writing {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] recode(UnaryOperator<OutputStream> change, Writing body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024)) {
            OutputStream changed = change.apply(gzip);
            body.write(changed);
            // Ends a change that holds back a partial match; the gzip stream closes after it.
            changed.close();
        } catch (IOException e) {
            // Only memory is written to; a malformed gzip body is what can fail here.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
