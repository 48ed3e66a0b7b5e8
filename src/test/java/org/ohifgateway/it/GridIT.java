package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.ohifgateway.it.GatewayStack.LOCKOUT_VICTIM;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;
import static org.ohifgateway.it.ItHelpers.uidOf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * Two gateways in one data grid (gateway.cluster.members), on loopback, in front of the same
 * Orthanc: what one of them learns about failed logins, the other knows, and metadata one of them
 * had Orthanc compute, the other gives out. Both are started the way an administrator starts them,
 * at the same time, and stay up until the last test, which stops one of them behind a load balancer.
 */
@ExtendWith(GatewayStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GridIT {

    private static final String DICOM_JSON = "application/dicom+json";

    private static final String GRID_SECRET = "grid-it-secret-0123456789";

    private static PayaraMicro nodeA;
    private static PayaraMicro nodeB;
    private static int gridPortA;
    private static Path dir;

    @BeforeAll
    static void startTwoGateways() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "grid");
        Files.createDirectories(dir);
        gridPortA = PayaraMicro.freePort();
        int gridPortB = PayaraMicro.freePort();
        String members = "127.0.0.1:" + gridPortA + ",127.0.0.1:" + gridPortB;
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            Future<PayaraMicro> a = starts.submit(() -> start(dir.resolve("a"), members, gridPortA));
            Future<PayaraMicro> b = starts.submit(() -> start(dir.resolve("b"), members, gridPortB));
            nodeA = a.get();
            nodeB = b.get();
        } finally {
            starts.shutdown();
        }
        nodeA.awaitReady(() -> nodeA.logText().contains("DG Size: 2"));
    }

    private static PayaraMicro start(Path dir, String members, int gridPort) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> environment = new HashMap<>(Map.of(
                "GATEWAY_CLUSTER_MEMBERS", members,
                "GATEWAY_CLUSTER_PORT", Integer.toString(gridPort),
                "GATEWAY_CLUSTER_NAME", "grid-it",
                "GATEWAY_CLUSTER_SECRET", GRID_SECRET,
                // Long enough that the lockout outlasts the test; each node keeps its own audit file.
                "GATEWAY_LOGIN_COOL_DOWN_SECONDS", "300",
                "GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString()));
        long started = System.nanoTime();
        PayaraMicro payara = PayaraMicro.startAndAwaitLogin(Path.of(System.getProperty("it.war")), "/", environment,
                dir.resolve("payara.log"));
        System.out.println("GridIT: gateway " + dir.getFileName() + " answered its login challenge after "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return payara;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (PayaraMicro node : new PayaraMicro[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    @Order(1)
    void seriesMetadataOrthancComputedForOneGatewayIsAHitOnTheOther() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("grid-it-cache", 4, 16, 16);
        ItHelpers.stored(nodeA.url(), slices.subList(0, 3));
        String series = uidOf(slices.get(0), "0020000E");
        String metadata = "/pacs/studies/" + uidOf(slices.get(0), "0020000D") + "/series/" + series + "/metadata";
        long orthancLog = GatewayStack.orthanc().logSize();
        HttpResponse<byte[]> throughA = metadata(nodeA, metadata);
        HttpResponse<byte[]> throughB = metadata(nodeB, metadata);
        assertEquals("miss", auditedCacheOutcome(throughA, "a"));
        assertEquals("hit", auditedCacheOutcome(throughB, "b"), "gateway B had it from the grid");
        assertEquals(1, GatewayStack.orthanc().requestsSince(orthancLog).stream()
                .filter(request -> request.contains(series + "/metadata")).count(), "Orthanc computed it once");
        sameAsOrthanc(nodeA, metadata, throughA);
        sameAsOrthanc(nodeB, metadata, throughB);

        // A change through A: B's next answer is Orthanc's newer one at once.
        ItHelpers.stored(nodeA.url(), slices.subList(3, 4));
        HttpResponse<byte[]> afterChange = metadata(nodeB, metadata);
        sameAsOrthanc(nodeB, metadata, afterChange);
        assertEquals("miss", auditedCacheOutcome(afterChange, "b"));
    }

    private static HttpResponse<byte[]> metadata(PayaraMicro node, String path) throws IOException, InterruptedException {
        return Http.send(Http.request(node.url() + path).header("Authorization", authorization(VIEWER))
                .header("Accept", DICOM_JSON).header("Accept-Encoding", "gzip"));
    }

    /** Asserts that the gateway's answer is Orthanc's own for a client of that gateway, after decompression. */
    private static void sameAsOrthanc(PayaraMicro node, String path, HttpResponse<byte[]> through) throws Exception {
        HttpResponse<byte[]> own = Http.send(Http.request(GatewayStack.orthanc().url() + path).header("Accept", DICOM_JSON)
                .header("Forwarded", "host=" + node.url().substring("http://".length()) + ";proto=http"));
        assertEquals(200, own.statusCode(), Http.text(own));
        assertEquals(own.statusCode(), through.statusCode());
        byte[] body = through.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                ? new GZIPInputStream(new ByteArrayInputStream(through.body())).readAllBytes() : through.body();
        assertArrayEquals(own.body(), body, path + " through " + node.url());
    }

    /** "hit" or "miss" as the gateway's audit trail recorded it. */
    private static String auditedCacheOutcome(HttpResponse<byte[]> answer, String node) throws Exception {
        String line = ItHelpers.awaitAuditLine(dir.resolve(node).resolve("audit.0.log"),
                answer.headers().firstValue("X-Request-Id").orElseThrow(), Duration.ofSeconds(10));
        return Json.createReader(new StringReader(line)).readObject().getString("cache", "none");
    }

    @Test
    @Order(2)
    void aNameLockedOnOneGatewayIsLockedOnTheOther() throws Exception {
        String studiesOnA = nodeA.url() + "/pacs/studies";
        String studiesOnB = nodeB.url() + "/pacs/studies";
        String wrong = Http.basic(LOCKOUT_VICTIM, "not-the-password");
        int status = 401;
        for (int i = 0; i < 10 && status == 401; i++) {
            status = Http.get(studiesOnA, wrong, DICOM_JSON).statusCode();
        }
        assertEquals(429, status, "gateway A refuses the name after repeated failures");

        assertEquals(429, Http.get(studiesOnB, authorization(LOCKOUT_VICTIM), DICOM_JSON).statusCode(),
                "gateway B refuses it too, even with the right password");
        assertEquals(200, Http.get(studiesOnB, authorization(VIEWER), DICOM_JSON).statusCode(),
                "other users go on through gateway B");
    }

    @Test
    @Order(3)
    void theGridListensOnTheNamedInterfaceOnly() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gridPortA), 5_000);
        }
        // Another loopback address: a grid bound to every interface would answer there as well.
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", gridPortA), 5_000);
            }
        });
    }

    /**
     * A machine that reaches the grid port and knows the grid's name and members, but not the
     * secret, stays outside: a plain Payara Micro member with the name alone (all a member needed
     * before the secret) is refused by the gateways' grid and forms a grid of its own.
     */
    @Test
    @Order(4)
    void aMemberWithoutTheSecretIsRefused() throws Exception {
        int strangerGridPort = PayaraMicro.freePort();
        try (PayaraMicro stranger = PayaraMicro.startBare(PayaraMicro.freePort(), dir.resolve("stranger").resolve("payara.log"),
                "--clustermode", "tcpip:127.0.0.1:" + gridPortA, "--interfaces", "127.0.0.1",
                "--startport", Integer.toString(strangerGridPort), "--clustername", "grid-it")) {
            String strangers = stranger.logText();
            assertTrue(strangers.contains("DG Name: grid-it DG Size: 1"), "the stranger is alone in a grid of its own");
            assertTrue(strangers.contains("the target cluster has a different cluster-name"),
                    "the stranger asked gateway A's grid to join it and was told no");
            assertTrue(nodeA.logText().contains("invalid join request from [127.0.0.1]:" + strangerGridPort),
                    "gateway A's grid refused the stranger's join request");
            assertFalse(nodeA.logText().contains("DG Size: 3"), "gateway A's grid kept its two members");
        }
    }

    /** One request of the scripted mix: when it began and ended, and its status (0: no answer). */
    private record Outcome(String request, long began, long ended, int status) {
    }

    /** The reads of a viewer opening the study list: the page, its configuration, a study search. */
    private static final List<String[]> READS = List.of(
            new String[] {"/", "text/html"},
            new String[] {"/app-config.js", "*/*"},
            new String[] {"/pacs/studies?limit=25&includefield=00081030", DICOM_JSON});

    private static Outcome read(HttpClient client, String base, String[] read) {
        long began = System.nanoTime();
        int status;
        try {
            status = client.send(HttpRequest.newBuilder(URI.create(base + read[0]))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", authorization(VIEWER))
                    .header("Accept", read[1]).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
        }
        return new Outcome(read[0], began, System.nanoTime(), status);
    }

    /**
     * Behind HAProxy with the project's configuration, one gateway's server is killed while
     * clients read: once HAProxy's health checks on /ready have taken it out, every new request
     * succeeds through the other. What failed in flight and how long HAProxy took are printed.
     * Last, since it kills gateway B.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenAGatewayDiesTheLoadBalancerSendsEveryRequestToTheOther() throws Exception {
        Path dir = Path.of(System.getProperty("it.dir"), "grid", "haproxy");
        try (LoadBalancer balancer = LoadBalancer.start(dir, nodeA.httpPort(), nodeB.httpPort())) {
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean reading = new AtomicBoolean(true);
            int clients = 4;
            ExecutorService readers = Executors.newFixedThreadPool(clients);
            try {
                for (int c = 0; c < clients; c++) {
                    int first = c;
                    readers.submit(() -> {
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(5)).build();
                        for (int i = first; reading.get(); i++) {
                            outcomes.add(read(client, balancer.url(), READS.get(i % READS.size())));
                        }
                    });
                }
                Thread.sleep(2_000);
                long killed = System.nanoTime();
                ProcessHandle.of(nodeB.pid()).orElseThrow().destroyForcibly();
                Duration window = balancer.awaitStates(Map.of("gateway-b", "DOWN", "gateway-a", "UP"),
                        Duration.ofSeconds(60));
                long down = killed + window.toNanos();
                Thread.sleep(3_000);
                reading.set(false);
                readers.shutdown();
                assertTrue(readers.awaitTermination(60, TimeUnit.SECONDS));

                List<Outcome> before = outcomes.stream().filter(o -> o.began() < killed).toList();
                List<Outcome> inWindow = outcomes.stream().filter(o -> o.began() >= killed && o.began() < down).toList();
                List<Outcome> after = outcomes.stream().filter(o -> o.began() >= down).toList();
                List<Outcome> failed = outcomes.stream().filter(o -> o.status() != 200 && o.ended() >= killed).toList();
                long slowest = outcomes.stream().filter(o -> o.ended() >= killed)
                        .mapToLong(o -> o.ended() - o.began()).max().orElse(0) / 1_000_000;
                System.out.printf("GridIT: gateway B killed (SIGKILL) under %d clients; HAProxy marked it DOWN after %d ms."
                        + " Requests: %d before the kill, %d begun in the window, %d after it; failed since the kill: %d %s;"
                        + " slowest answer since the kill %d ms%n", clients, window.toMillis(), before.size(),
                        inWindow.size(), after.size(), failed.size(),
                        failed.stream().map(o -> o.status() + " " + o.request()).toList(), slowest);
                // Requests under way at the kill may fail (they are counted above); those done before it may not.
                assertTrue(before.stream().filter(o -> o.ended() < killed).allMatch(o -> o.status() == 200),
                        "both gateways served before: " + before);
                assertTrue(after.size() > 0, "requests were read after the window");
                assertTrue(after.stream().allMatch(o -> o.status() == 200),
                        "every request after the window succeeded: " + failed);
            } finally {
                reading.set(false);
                readers.shutdownNow();
            }
            // And a new client, request after request, gets everything from gateway A.
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3 * READS.size(); i++) {
                Outcome outcome = read(client, balancer.url(), READS.get(i % READS.size()));
                assertEquals(200, outcome.status(), outcome.request());
            }
        }
    }
}
