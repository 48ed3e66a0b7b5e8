package org.ohifgateway.pacs;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Replaces every occurrence of one byte string with another while streaming, holding back at
 * most the length of the searched string, so a body of any size is rewritten in constant memory.
 */
final class ReplacingOutputStream extends FilterOutputStream {

    private final StreamSearch search;
    private final byte[] replacement;

    ReplacingOutputStream(OutputStream out, byte[] target, byte[] replacement) {
        super(out);
        this.search = new StreamSearch(target, 0);
        this.replacement = replacement.clone();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int next = offset;
        while ((next = search.find(bytes, next, end, out::write)) >= 0) {
            out.write(replacement);
        }
    }

    /** Writes out a partial match held back at the end of the body; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        search.release(out::write);
        out.flush();
    }
}
