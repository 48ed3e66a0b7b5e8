package org.ohifgateway.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body that fails once it goes past the upload limit, for bodies sent without a length. */
final class BoundedUpload extends FilterInputStream {

    /** The body went past the limit; the client gets 413. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("upload larger than " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;

    BoundedUpload(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    private void counted(int bytes) throws TooLarge {
        count += bytes;
        if (count > limit) {
            throw new TooLarge(limit);
        }
    }
}
