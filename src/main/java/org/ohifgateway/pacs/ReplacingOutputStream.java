package org.ohifgateway.pacs;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Replaces every occurrence of one byte string with another while streaming, holding back at
 * most the length of the searched string (Knuth-Morris-Pratt matching), so a body of any size
 * is rewritten in constant memory.
 */
final class ReplacingOutputStream extends FilterOutputStream {

    private final byte[] target;
    private final byte[] replacement;
    private final int[] fallback;
    private int matched;

    ReplacingOutputStream(OutputStream out, byte[] target, byte[] replacement) {
        super(out);
        if (target.length == 0) {
            throw new IllegalArgumentException("empty search string");
        }
        this.target = target.clone();
        this.replacement = replacement.clone();
        this.fallback = failureFunction(target);
    }

    @Override
    public void write(int b) throws IOException {
        byte value = (byte) b;
        while (matched > 0 && target[matched] != value) {
            int keep = fallback[matched - 1];
            out.write(target, 0, matched - keep);
            matched = keep;
        }
        if (target[matched] == value) {
            matched++;
            if (matched == target.length) {
                out.write(replacement);
                matched = 0;
            }
        } else {
            out.write(value);
        }
    }

    /** Bytes that cannot start a match go on in runs: one write per run, not per byte. */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int runStart = offset;
        for (int i = offset; i < end; i++) {
            if (matched == 0 && bytes[i] != target[0]) {
                continue;
            }
            if (i > runStart) {
                out.write(bytes, runStart, i - runStart);
            }
            write(bytes[i]);
            runStart = i + 1;
        }
        if (end > runStart) {
            out.write(bytes, runStart, end - runStart);
        }
    }

    /** Writes out a partial match held back at the end of the body; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        out.write(target, 0, matched);
        matched = 0;
        out.flush();
    }

    /** Knuth-Morris-Pratt: how much of a partial match survives a mismatch at each position. */
    static int[] failureFunction(byte[] pattern) {
        int[] failure = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = failure[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            failure[i] = k;
        }
        return failure;
    }
}
