package org.ohifgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * HTTPS in front of the real Orthanc. Orthanc 1.10.1 from Debian can serve HTTPS itself
 * ("SslEnabled") but dies with a segmentation fault on its first TLS connection, so the TLS hop
 * is this tunnel, as a TLS-terminating proxy in front of Orthanc would be.
 */
final class TlsTunnel implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;

    TlsTunnel(TestCertificate certificate, int targetPort) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.load(), certificate.password().toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        this.server = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::acceptLoop, "tls-tunnel");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket();
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                pump(client, target);
                pump(target, client);
            } catch (IOException closed) {
                // a failed handshake or the tunnel closing ends only that connection
            }
        }
    }

    /** Copies one direction until it ends, then closes both sockets so the other direction ends too. */
    private static void pump(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // the connection is over
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tls-tunnel-copy");
        copier.setDaemon(true);
        copier.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
