package org.ohifgateway.metrics;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A response that counts the body bytes written to its output stream (what the gateway, the
 * proxy and the container's file servlet use). Bytes a reset throws away before anything was
 * sent are not counted; text written through getWriter (only the server's own endpoints do) is not.
 */
final class CountingResponse extends HttpServletResponseWrapper {

    private CountingOutput output;

    CountingResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new CountingOutput(super.getOutputStream());
        }
        return output;
    }

    @Override
    public void reset() {
        super.reset();
        discardCount();
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        discardCount();
    }

    /** A reset succeeds only before anything was sent, so everything counted so far was thrown away. */
    private void discardCount() {
        if (output != null) {
            output.count = 0;
        }
    }

    /** Body bytes written so far. */
    long bytes() {
        return output == null ? 0 : output.count;
    }

    private static final class CountingOutput extends ServletOutputStream {

        private final ServletOutputStream out;
        private long count;

        CountingOutput(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
            count += length;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
