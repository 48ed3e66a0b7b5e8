package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shipped HAProxy configuration (deploy/haproxy/haproxy.cfg) in front of two stand-ins for
 * gateways that pass their /ready check but drop every other request unanswered, as a gateway
 * does that dies while it works on one: a fault a real gateway cannot be made to show on cue.
 * HAProxy may send a read to the other gateway, never an upload, which may have reached Orthanc.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadBalancerIT {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private DroppingGateway a;
    private DroppingGateway b;
    private LoadBalancer balancer;

    @BeforeAll
    void start() throws Exception {
        a = new DroppingGateway();
        b = new DroppingGateway();
        balancer = LoadBalancer.start(Path.of(System.getProperty("it.dir"), "load-balancer"), a.port(), b.port());
    }

    @AfterAll
    void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (DroppingGateway gateway : new DroppingGateway[] {a, b}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    @Test
    void anUploadThatGotNoAnswerIsNotSentAgainButAReadIs() throws Exception {
        // Head and body in one write, so that HAProxy holds the whole upload and could send it again.
        String status;
        try (Socket upload = new Socket(InetAddress.getLoopbackAddress(), balancer.port())) {
            upload.setSoTimeout(30_000);
            upload.getOutputStream().write(("POST /pacs/studies HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/dicom\r\nContent-Length: 12\r\n\r\none instance")
                    .getBytes(StandardCharsets.ISO_8859_1));
            status = new BufferedReader(new InputStreamReader(upload.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
        }
        assertTrue(status != null && status.matches("HTTP/1.1 5\\d\\d .*"), "the client learns that its upload failed: " + status);
        assertEquals(List.of("POST /pacs/studies"), List.copyOf(received), "the upload reached one gateway once");

        received.clear();
        HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create(balancer.url() + "/pacs/studies"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(read.statusCode() >= 500, Integer.toString(read.statusCode()));
        assertTrue(received.size() > 1 && received.stream().allMatch("GET /pacs/studies"::equals),
                "the read was tried again: " + received);
    }

    /** Answers GET /ready with 200; reads any other request whole, notes it, and closes without a word. */
    private final class DroppingGateway implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::serve, "dropping-gateway");

        DroppingGateway() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    String requestLine = in.readLine();
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring("content-length:".length()).trim());
                        }
                    }
                    in.skip(length);
                    if (requestLine == null) {
                        continue;
                    }
                    String request = requestLine.substring(0, requestLine.lastIndexOf(' '));
                    if (request.equals("GET /ready")) {
                        OutputStream out = connection.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nready\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } else {
                        received.add(request);
                    }
                } catch (IOException e) {
                    // closed, or a check that gave up: the next connection
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
