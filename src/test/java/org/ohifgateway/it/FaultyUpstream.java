package org.ohifgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that misbehaves the ways Orthanc cannot be made to: it never answers, breaks
 * the connection off mid-body, or streams a body only as fast as the test allows. It takes
 * Orthanc's port while the real Orthanc is stopped.
 */
final class FaultyUpstream implements AutoCloseable {

    enum Fault {
        /** accepts the request, then sends nothing */
        STALL,
        /** sends headers and 64 KiB of a chunked body, then resets the connection */
        RESET_MID_BODY,
        /** sends 64 KiB, waits for {@link #release()}, then streams until the client goes away */
        STREAM_ON_RELEASE,
        /** sends the headers of a 128 KiB answer (a frame) with its ETag, then 120 KiB of it, then resets the connection */
        RESET_SHORT_BODY
    }

    static final int FIRST_BYTES = 64 * 1024;

    private final ServerSocket server;
    private final Fault fault;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private final Thread acceptor;

    FaultyUpstream(int port, Fault fault) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.fault = fault;
        this.acceptor = new Thread(this::acceptLoop, "faulty-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void release() {
        released.countDown();
    }

    /** True once writing to the gateway failed, i.e. the gateway dropped the upstream connection. */
    boolean awaitConnectionDropped(long seconds) throws InterruptedException {
        return clientGone.await(seconds, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handle(socket), "faulty-upstream-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] block = new byte[FIRST_BYTES];
            switch (fault) {
                case STALL -> released.await(120, TimeUnit.SECONDS);
                case RESET_MID_BODY -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(block);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(200);
                    socket.setSoLinger(true, 0);
                }
                case RESET_SHORT_BODY -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nETag: \"frame-1\"\r\n"
                            + "Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT\r\nContent-Length: " + 2 * block.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(block);
                    out.write(block, 0, block.length - 8 * 1024);
                    out.flush();
                    Thread.sleep(200);
                    socket.setSoLinger(true, 0);
                }
                case STREAM_ON_RELEASE -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Length: " + (1L << 40) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(block);
                    out.flush();
                    released.await(60, TimeUnit.SECONDS);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    try {
                        while (System.nanoTime() < deadline) {
                            out.write(block);
                        }
                    } catch (IOException dropped) {
                        clientGone.countDown();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the connection ends either way
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.size() >= 4 && new String(head.toByteArray(), head.size() - 4, 4, StandardCharsets.US_ASCII).equals("\r\n\r\n")) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
    }
}
