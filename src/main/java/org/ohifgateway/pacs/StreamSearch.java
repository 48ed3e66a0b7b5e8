package org.ohifgateway.pacs;

import java.io.IOException;

/**
 * Finds a byte string in a body that arrives in pieces (Knuth-Morris-Pratt matching): bytes
 * that are not part of a match are passed on in runs, and at most a partial match is held back
 * between pieces, so a body of any size is searched in constant memory.
 */
final class StreamSearch {

    /** Where the bytes outside matches go. */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private final byte[] pattern;
    private final int[] fallback;
    private int matched;

    /** {@code alreadyMatched}: how much of the pattern counts as seen before the first byte. */
    StreamSearch(byte[] pattern, int alreadyMatched) {
        if (pattern.length == 0) {
            throw new IllegalArgumentException("empty search string");
        }
        this.pattern = pattern.clone();
        this.fallback = failureFunction(pattern);
        this.matched = alreadyMatched;
    }

    /**
     * Passes {@code bytes[from, end)} on up to the next complete match and returns the index just
     * after it; the match itself is not passed on. Returns -1 when the piece ends without one.
     */
    int find(byte[] bytes, int from, int end, Sink sink) throws IOException {
        int runStart = from;
        for (int i = from; i < end; i++) {
            byte value = bytes[i];
            if (matched == 0 && value != pattern[0]) {
                continue;
            }
            pass(sink, bytes, runStart, i);
            while (matched > 0 && pattern[matched] != value) {
                int keep = fallback[matched - 1];
                sink.write(pattern, 0, matched - keep);
                matched = keep;
            }
            if (pattern[matched] == value) {
                runStart = i + 1;
                if (++matched == pattern.length) {
                    matched = 0;
                    return i + 1;
                }
            } else {
                runStart = i;
            }
        }
        pass(sink, bytes, runStart, end);
        return -1;
    }

    /** Passes on a partial match held back at the end of the body. */
    void release(Sink sink) throws IOException {
        pass(sink, pattern, 0, matched);
        matched = 0;
    }

    private static void pass(Sink sink, byte[] bytes, int from, int to) throws IOException {
        if (to > from) {
            sink.write(bytes, from, to - from);
        }
    }

    /** How much of a partial match survives a mismatch at each position. */
    private static int[] failureFunction(byte[] pattern) {
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
