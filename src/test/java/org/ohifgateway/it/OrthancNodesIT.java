package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;
import static org.ohifgateway.it.ItHelpers.uidOf;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.metrics.ScrapedMetrics;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * Two Orthanc nodes on one PostgreSQL (index and files) behind one gateway: reads are spread over
 * both; what is stored through the gateway is what either node serves, byte for byte; one node
 * killed (SIGKILL) under a mix of reads and uploads costs no read that started after the kill and
 * no upload the gateway acknowledged; the node is used again once it is back; the archive console
 * stays on its node ({@code orthanc.admin-url}, here the second), and is 502 while that node is down.
 */
@ExtendWith(GatewayStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancNodesIT {

    private static final String DICOM_JSON = "application/dicom+json";
    private static final String STORED_FORM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final int CHECK_INTERVAL_MS = 1000;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Path dir;
    private PostgresProcess postgres;
    private OrthancProcess first;
    private OrthancProcess second;
    private PayaraMicro payara;
    private String gateway;
    private List<byte[]> series;

    @BeforeAll
    void startDatabaseNodesAndGateway() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "orthanc-nodes");
        first = new OrthancProcess(dir.resolve("first"), PayaraMicro.freePort(), PayaraMicro.freePort());
        second = new OrthancProcess(dir.resolve("second"), PayaraMicro.freePort(), PayaraMicro.freePort());
        int port = PayaraMicro.freePort();
        gateway = "http://127.0.0.1:" + port;
        Map<String, String> environment = new HashMap<>();
        environment.put("ORTHANC_URL", first.url() + "," + second.url());
        environment.put("ORTHANC_ADMIN_URL", second.url());
        environment.put("GATEWAY_UPSTREAM_CHECK_INTERVAL_MS", Integer.toString(CHECK_INTERVAL_MS));
        environment.put("GATEWAY_PUBLIC_ORIGINS", gateway);
        environment.put("GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString());
        // The server boots while the database and the nodes start; its checks find them.
        payara = PayaraMicro.start(Path.of(System.getProperty("it.war")), "/", port, environment, dir.resolve("payara.log"));
        postgres = PostgresProcess.start(PayaraMicro.freePort());
        for (OrthancProcess node : List.of(first, second)) {
            Files.createDirectories(dir.resolve(node == first ? "first" : "second"));
            node.environment().put("ORTHANC_POSTGRESQL", "127.0.0.1:" + postgres.port() + ":" + PostgresProcess.DATABASE
                    + ":" + PostgresProcess.USER);
            node.start();
        }
        payara.awaitReady(() -> client.send(HttpRequest.newBuilder(URI.create(gateway + "/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
        series = SyntheticStudies.ctSeries("orthanc-nodes-it", 4, 16, 16);
    }

    @AfterAll
    void stop() throws Exception {
        if (payara != null) {
            payara.close();
        }
        for (OrthancProcess node : new OrthancProcess[] {first, second}) {
            if (node != null) {
                node.stop();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void readsAreSpreadOverBothNodes() throws Exception {
        awaitNode(first, true);
        awaitNode(second, true);
        assertEquals(200, stow(series).statusCode());
        String path = "/pacs/studies/" + uidOf(series.get(0), "0020000D") + "/series";
        long firstLog = first.logSize();
        long secondLog = second.logSize();
        String answer = null;
        for (int i = 0; i < 12; i++) {
            HttpResponse<byte[]> read = get(path, DICOM_JSON, VIEWER);
            assertEquals(200, read.statusCode(), Http.text(read));
            assertTrue(answer == null || answer.equals(Http.text(read)), "both nodes answer the same");
            answer = Http.text(read);
        }
        long onFirst = count(first.requestsSince(firstLog), "GET " + path);
        long onSecond = count(second.requestsSince(secondLog), "GET " + path);
        System.out.println("OrthancNodesIT: 12 series searches, " + onFirst + " on the first node, " + onSecond
                + " on the second");
        assertTrue(onFirst > 0 && onSecond > 0, onFirst + " / " + onSecond);
        assertEquals(12, onFirst + onSecond, "each read asked once");
    }

    @Test
    @Order(2)
    void whatIsStoredThroughTheGatewayIsWhatEitherNodeServes() throws Exception {
        List<byte[]> instances = SyntheticStudies.ctSeries("orthanc-nodes-it-stow", 3, 16, 16);
        assertEquals(200, stow(instances).statusCode());
        String seriesPath = "/pacs/studies/" + uidOf(instances.get(0), "0020000D") + "/series/"
                + uidOf(instances.get(0), "0020000E");
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> search = get(seriesPath + "/instances", DICOM_JSON, VIEWER);
            assertEquals(200, search.statusCode());
            for (OrthancProcess node : List.of(first, second)) {
                assertEquals(Http.text(direct(node, seriesPath + "/instances", DICOM_JSON)), Http.text(search),
                        "QIDO through the gateway as " + node.url() + " answers it");
            }
        }
        for (byte[] instance : instances) {
            String path = seriesPath + "/instances/" + uidOf(instance, "00080018");
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> retrieved = get(path, STORED_FORM, VIEWER);
                assertEquals(200, retrieved.statusCode());
                List<byte[]> parts = parts(retrieved);
                assertEquals(1, parts.size());
                assertArrayEquals(instance, parts.get(0), "the stored bytes");
                for (OrthancProcess node : List.of(first, second)) {
                    assertArrayEquals(parts(direct(node, path, STORED_FORM)).get(0), parts.get(0), node.url());
                }
            }
        }
    }

    /** One request of the mix: what it was, when it ran, and how it ended. */
    private record Outcome(boolean upload, long start, long end, int status, String sop, String failure) {

        boolean failed() {
            return status != 200;
        }
    }

    @Test
    @Order(3)
    void aNodeKilledUnderReadsAndUploadsCostsNoLaterReadAndNoAcknowledgedUpload() throws Exception {
        awaitNode(second, true);
        String seriesPath = "/pacs/studies/" + uidOf(series.get(0), "0020000D") + "/series/"
                + uidOf(series.get(0), "0020000E");
        List<String> reads = new ArrayList<>();
        for (byte[] instance : series) {
            reads.add(seriesPath + "/instances/" + uidOf(instance, "00080018"));
            reads.add(seriesPath + "/instances");
        }
        List<byte[]> uploads = SyntheticStudies.ctSeries("orthanc-nodes-it-failover", 400, 16, 16);
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger nextUpload = new AtomicInteger();
        ExecutorService mix = Executors.newFixedThreadPool(5);
        List<Future<?>> workers = new ArrayList<>();
        for (int reader = 0; reader < 3; reader++) {
            int offset = reader;
            workers.add(mix.submit(() -> {
                for (int i = offset; running.get(); i++) {
                    outcomes.add(read(reads.get(i % reads.size())));
                }
                return null;
            }));
        }
        for (int uploader = 0; uploader < 2; uploader++) {
            workers.add(mix.submit(() -> {
                int i;
                while (running.get() && (i = nextUpload.getAndIncrement()) < uploads.size()) {
                    byte[] instance = uploads.get(i);
                    outcomes.add(run(true, uidOf(instance, "00080018"), () -> stow(List.of(instance))));
                }
                return null;
            }));
        }
        Thread.sleep(1500);
        long kill = System.nanoTime();
        long killedAt = System.currentTimeMillis();
        second.kill();
        // At once, before a check can notice: taken in turn, at least one of these is sent to the killed node.
        for (int i = 0; i < 4; i++) {
            outcomes.add(read(reads.get(i)));
        }
        long seenOut = awaitNode(second, false) - kill;
        HttpResponse<byte[]> admin = get("/pacs-admin/peers", "application/json", ADMIN);
        assertEquals(502, admin.statusCode(), "the archive console stays on its node: " + Http.text(admin));
        Thread.sleep(2000);
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        mix.shutdown();

        List<Outcome> all = List.copyOf(outcomes);
        List<Outcome> failedReads = all.stream().filter(o -> !o.upload() && o.failed()).toList();
        long window = failedReads.stream().mapToLong(Outcome::end).max().orElse(kill) - kill;
        List<Outcome> acknowledged = all.stream().filter(o -> o.upload() && !o.failed()).toList();
        List<Outcome> refused = all.stream().filter(o -> o.upload() && o.failed()).toList();
        Set<String> inDatabase = Set.of(postgres.query(
                "SELECT string_agg(value, ',') FROM DicomIdentifiers WHERE tagGroup = 8 AND tagElement = 24").split(","));
        System.out.printf("OrthancNodesIT: SIGKILL of one node under %d reads and %d uploads: %d reads failed, the"
                + " last %d ms after the kill (failover window); the gateway took the node out %s after the kill"
                + " (the test saw it in the health check after %d ms); %d uploads acknowledged, %d failed (%s), %d of"
                + " these in the database all the same%n",
                all.stream().filter(o -> !o.upload()).count(), all.stream().filter(Outcome::upload).count(),
                failedReads.size(), TimeUnit.NANOSECONDS.toMillis(Math.max(0, window)), takenOut(second, killedAt),
                TimeUnit.NANOSECONDS.toMillis(seenOut), acknowledged.size(), refused.size(),
                refused.stream().map(o -> o.status() + " " + o.failure().strip()).toList(),
                refused.stream().filter(o -> inDatabase.contains(o.sop())).count());
        for (Outcome read : failedReads) {
            assertTrue(read.start() < kill, "a read that started after the kill failed: " + read);
        }
        for (Outcome upload : refused) {
            assertTrue(upload.status() >= 500 || upload.status() == -1, "a failed upload gets an error: " + upload);
        }
        for (Outcome upload : acknowledged) {
            assertTrue(inDatabase.contains(upload.sop()), "an acknowledged upload is not in the database: " + upload);
        }
        assertTrue(all.stream().anyMatch(o -> !o.upload() && o.start() > kill && !o.failed()), "reads went on");
        assertTrue(acknowledged.stream().anyMatch(o -> o.start() > kill), "uploads went on");
        assertTrue(readiness().getString("status").equals("UP"), "ready with one node: " + readiness());
        assertTrue(nodeState(second).startsWith("out since"), nodeState(second));
        ScrapedMetrics metrics = ItHelpers.metrics(gateway);
        assertEquals(1, metrics.sum("ohif_gateway_upstream_node_up", "orthanc", first.url()));
        assertEquals(0, metrics.sum("ohif_gateway_upstream_node_up", "orthanc", second.url()));
    }

    @Test
    @Order(4)
    void aNodeBackIsUsedAgainAndTheConsoleWithIt() throws Exception {
        long start = System.nanoTime();
        second.start();
        long in = awaitNode(second, true) - start;
        System.out.println("OrthancNodesIT: restarted node back in " + TimeUnit.NANOSECONDS.toMillis(in) + " ms");
        String path = "/pacs/studies/" + uidOf(series.get(0), "0020000D") + "/series";
        long secondLog = second.logSize();
        for (int i = 0; i < 6; i++) {
            assertEquals(200, get(path, DICOM_JSON, VIEWER).statusCode());
        }
        assertTrue(count(second.requestsSince(secondLog), "GET " + path) > 0, "the node is used again");

        long firstLog = first.logSize();
        secondLog = second.logSize();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get("/pacs-admin/peers", "application/json", ADMIN).statusCode());
        }
        assertEquals(4, count(second.requestsSince(secondLog), "GET /peers"), "the console on its node");
        assertEquals(0, count(first.requestsSince(firstLog), "GET /peers"), "never on the other");
    }

    // ---------------------------------------------------------------- helpers

    private interface Exchange {
        HttpResponse<byte[]> send() throws IOException, InterruptedException;
    }

    /** A search for instances, or one instance as stored. */
    private Outcome read(String path) {
        return run(false, null, () -> get(path, path.endsWith("/instances") ? DICOM_JSON : STORED_FORM, VIEWER));
    }

    private static Outcome run(boolean upload, String sop, Exchange exchange) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> answer = exchange.send();
            return new Outcome(upload, start, System.nanoTime(), answer.statusCode(), sop,
                    answer.statusCode() == 200 ? "" : Http.text(answer));
        } catch (IOException | InterruptedException e) {
            return new Outcome(upload, start, System.nanoTime(), -1, sop, e.toString());
        }
    }

    private HttpResponse<byte[]> stow(List<byte[]> instances) throws IOException, InterruptedException {
        return client.send(Http.stow(gateway, authorization(UPLOADER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.stowBody(instances))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, String accept, String user) throws IOException, InterruptedException {
        return client.send(Http.request(gateway + path).header("Authorization", authorization(user))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Orthanc's own answer, asked as the gateway asks it for a client at the gateway's address. */
    private HttpResponse<byte[]> direct(OrthancProcess node, String path, String accept)
            throws IOException, InterruptedException {
        String host = URI.create(gateway).getAuthority();
        HttpResponse<byte[]> answer = client.send(Http.request(node.url() + path).header("Accept", accept)
                .header("Forwarded", "host=" + host + ";proto=http").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode(), node.url() + path);
        return answer;
    }

    private static List<byte[]> parts(HttpResponse<byte[]> multipart) {
        return Multipart.parts(multipart.headers().firstValue("Content-Type").orElseThrow(), multipart.body());
    }

    private static long count(List<String> requests, String request) {
        return requests.stream().filter(request::equals).count();
    }

    private JsonObject readiness() throws IOException, InterruptedException {
        HttpResponse<byte[]> health = get("/health/ready", "application/json", ADMIN);
        return Json.createReader(new StringReader(Http.text(health))).readObject();
    }

    /** The node's state in the readiness check, such as "in since ..." or "out since ...: connection refused". */
    private String nodeState(OrthancProcess node) throws IOException, InterruptedException {
        for (JsonValue check : readiness().getJsonArray("checks")) {
            if (check.asJsonObject().getString("name").equals("orthanc")) {
                return check.asJsonObject().getJsonObject("data").getString("node " + node.url(), "missing");
            }
        }
        throw new AssertionError("no orthanc check");
    }

    /** How long after the wall-clock time the gateway's log says it took the node out, and why. */
    private String takenOut(OrthancProcess node, long since) throws IOException {
        Matcher line = Pattern.compile("timeMillis: (\\d+)][^\\n]*Orthanc node " + Pattern.quote(node.url())
                + " taken out: ([^\\n\\]]*)").matcher(Files.readString(dir.resolve("payara.log")));
        while (line.find()) {
            long at = Long.parseLong(line.group(1));
            if (at >= since) {
                return (at - since) + " ms (" + line.group(2).strip() + ")";
            }
        }
        return "?";
    }

    /** Waits until the gateway has the node in (or out); returns System.nanoTime() when it saw so. */
    private long awaitNode(OrthancProcess node, boolean in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = nodeState(node);
            if (state.startsWith(in ? "in" : "out")) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(node.url() + " not " + (in ? "in" : "out") + " within 30 s: " + state);
    }
}
