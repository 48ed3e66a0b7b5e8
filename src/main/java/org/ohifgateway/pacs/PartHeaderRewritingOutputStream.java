package org.ohifgateway.pacs;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites a URL prefix in the part headers of a multipart body (Orthanc writes an absolute
 * Content-Location into each frame part) while streaming, and never touches the parts' content:
 * a byte string that happens to occur in pixel data must stay as it is. Holds back at most one
 * delimiter and one header block.
 */
final class PartHeaderRewritingOutputStream extends FilterOutputStream {

    /** Part headers beyond this size are passed on unchanged rather than held in memory. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int CRLF_CRLF = 0x0d0a0d0a;
    private static final int DASH_DASH = 0x2d2d;

    private enum State { CONTENT, HEADERS, EPILOGUE }

    private final byte[] delimiter;
    private final StreamSearch delimiterSearch;
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();
    private final ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
    /** Rewrites one header block at a time into {@link #rewritten}; closing it ends a block, not the stream. */
    private final ReplacingOutputStream rewriter;
    private State state = State.CONTENT;
    /** The last four header bytes, for spotting the end of the block without searching it. */
    private int tail;
    /** Bytes still to drop from the front of the output: the CRLF assumed before the first delimiter. */
    private int skip;

    PartHeaderRewritingOutputStream(OutputStream out, String boundary, byte[] target, byte[] replacement) {
        super(out);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.rewriter = new ReplacingOutputStream(rewritten, target, replacement);
        // The body's first delimiter has no CRLF before it: start as if one had been seen, so a
        // single pattern finds every delimiter, and drop those two bytes again on the way out.
        this.delimiterSearch = new StreamSearch(delimiter, 2);
        skip = 2;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            switch (state) {
                case CONTENT -> i = scanContent(bytes, i, end);
                case HEADERS -> i = collectHeaders(bytes, i, end);
                case EPILOGUE -> {
                    emit(bytes, i, end - i);
                    i = end;
                }
            }
        }
    }

    /** Passes content on in runs, holding back only a possible start of the delimiter. */
    private int scanContent(byte[] bytes, int from, int end) throws IOException {
        int after = delimiterSearch.find(bytes, from, end, this::emit);
        if (after < 0) {
            return end;
        }
        emit(delimiter, 0, delimiter.length);
        state = State.HEADERS;
        return after;
    }

    /** Collects the rest of the delimiter line and the part's headers, up to the empty line. */
    private int collectHeaders(byte[] bytes, int from, int end) throws IOException {
        for (int i = from; i < end; i++) {
            headers.write(bytes[i]);
            tail = tail << 8 | bytes[i] & 0xff;
            int size = headers.size();
            if (size == 2 && (tail & 0xffff) == DASH_DASH) {
                // The close delimiter: what follows is the epilogue.
                flushHeaders(false);
                state = State.EPILOGUE;
                return i + 1;
            }
            if (size >= 4 && tail == CRLF_CRLF || size >= MAX_HEADER_BYTES) {
                flushHeaders(size < MAX_HEADER_BYTES);
                state = State.CONTENT;
                return i + 1;
            }
        }
        return end;
    }

    private void flushHeaders(boolean rewrite) throws IOException {
        byte[] block = headers.toByteArray();
        headers.reset();
        tail = 0;
        if (rewrite) {
            rewriter.write(block);
            rewriter.close();
            block = rewritten.toByteArray();
            rewritten.reset();
        }
        emit(block, 0, block.length);
    }

    private void emit(byte[] bytes, int offset, int length) throws IOException {
        int dropped = Math.min(skip, length);
        skip -= dropped;
        if (length > dropped) {
            out.write(bytes, offset + dropped, length - dropped);
        }
    }

    /** Writes out whatever is held back at the end of the body; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        delimiterSearch.release(this::emit);
        flushHeaders(false);
        out.flush();
    }
}
