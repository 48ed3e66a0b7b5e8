package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.LOCKOUT_VICTIM;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;
import static org.ohifgateway.it.ItHelpers.uidOf;
import static org.ohifgateway.it.RoundTrip.DICOM_JSON;
import static org.ohifgateway.it.RoundTrip.INSTANCE_ACCEPT;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.metrics.ScrapedMetrics;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The whole cluster on loopback, as {@code bin/ohif-gateway-demo --cluster} runs it: PostgreSQL,
 * two Orthanc nodes on it (index and files), two gateways in one data grid that each spread their
 * requests over both nodes ({@code orthanc.url}; the archive console on node B,
 * {@code orthanc.admin-url}), and HAProxy with the project's configuration in front. Each gateway
 * uses both nodes; what is stored is what either node serves; the real samples round-trip through
 * the load balancer; metadata one gateway had Orthanc compute is a hit on the other, and a change
 * made at an Orthanc node directly is in the other gateway's next answer; a lockout on one gateway
 * holds on the other; the grid listens on its interface only and refuses a member without its
 * secret. Last, the kills under a mix of reads and uploads through the load balancer: Orthanc node
 * B (then started again), then gateway B.
 */
@ExtendWith(GatewayStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int CHECK_INTERVAL_MS = 1000;
    private static final String GRID_SECRET = "cluster-it-secret-0123456789";

    private Path dir;
    private PostgresProcess postgres;
    private OrthancProcess orthancA;
    private OrthancProcess orthancB;
    private PayaraMicro gatewayA;
    private PayaraMicro gatewayB;
    private int gridPortA;
    private LoadBalancer balancer;
    /** A series stored at the start, read by the mixes. */
    private List<byte[]> series;

    @BeforeAll
    void startTheCluster() throws Exception {
        long started = System.nanoTime();
        dir = Path.of(System.getProperty("it.dir"), "cluster");
        orthancA = new OrthancProcess(dir.resolve("orthanc-a"), PayaraMicro.freePort(), PayaraMicro.freePort());
        orthancB = new OrthancProcess(dir.resolve("orthanc-b"), PayaraMicro.freePort(), PayaraMicro.freePort());
        gridPortA = PayaraMicro.freePort();
        int gridPortB = PayaraMicro.freePort();
        String members = "127.0.0.1:" + gridPortA + ",127.0.0.1:" + gridPortB;
        // The gateways boot while the database and the nodes start; their checks find the nodes.
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            Future<PayaraMicro> a = starts.submit(() -> startGateway("a", members, gridPortA));
            Future<PayaraMicro> b = starts.submit(() -> startGateway("b", members, gridPortB));
            postgres = PostgresProcess.start(PayaraMicro.freePort());
            for (OrthancProcess node : List.of(orthancA, orthancB)) {
                Files.createDirectories(node.log().getParent());
                node.environment().put("ORTHANC_POSTGRESQL", "127.0.0.1:" + postgres.port() + ":"
                        + PostgresProcess.DATABASE + ":" + PostgresProcess.USER);
                node.start();
            }
            try {
                gatewayA = a.get();
            } finally {
                gatewayB = b.get();
            }
        } finally {
            starts.shutdown();
        }
        gatewayA.awaitReady(() -> gatewayA.logText().contains("DG Size: 2"));
        balancer = LoadBalancer.start(dir.resolve("haproxy"), gatewayA.httpPort(), gatewayB.httpPort());
        series = SyntheticStudies.ctSeries("cluster-it", 4, 16, 16);
        System.out.println("ClusterIT: PostgreSQL, two Orthanc nodes, two gateways in one grid and HAProxy ready after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    /**
     * Starts one gateway of the grid on both Orthanc nodes and waits for its login challenge: the
     * one place that says how a gateway joins the grid.
     */
    private PayaraMicro startGateway(String name, String members, int gridPort) throws Exception {
        Path gatewayDir = dir.resolve("gateway-" + name);
        Files.createDirectories(gatewayDir);
        // How it joins the grid, then its other settings.
        Map<String, String> environment = new HashMap<>(Map.of(
                "GATEWAY_CLUSTER_MEMBERS", members,
                "GATEWAY_CLUSTER_PORT", Integer.toString(gridPort),
                "GATEWAY_CLUSTER_NAME", "cluster-it",
                "GATEWAY_CLUSTER_SECRET", GRID_SECRET));
        environment.putAll(Map.of(
                "GATEWAY_NODE_NAME", "gateway-" + name,
                "ORTHANC_URL", orthancA.url() + "," + orthancB.url(),
                "ORTHANC_ADMIN_URL", orthancB.url(),
                "GATEWAY_UPSTREAM_CHECK_INTERVAL_MS", Integer.toString(CHECK_INTERVAL_MS),
                // HAProxy's address, so that each user's own address counts (option forwardfor).
                "GATEWAY_TRUSTED_PROXIES", "127.0.0.1",
                // Long enough that the lockout outlasts the test; each gateway keeps its own audit file.
                "GATEWAY_LOGIN_COOL_DOWN_SECONDS", "300",
                "GATEWAY_AUDIT_FILE", gatewayDir.resolve("audit.%g.log").toString()));
        long started = System.nanoTime();
        PayaraMicro payara = PayaraMicro.startAndAwaitLogin(Path.of(System.getProperty("it.war")), "/", environment,
                gatewayDir.resolve("payara.log"));
        System.out.println("ClusterIT: gateway " + name + " answered its login challenge after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        return payara;
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable part : Arrays.asList(balancer, gatewayA, gatewayB, stopping(orthancA), stopping(orthancB),
                postgres)) {
            if (part != null) {
                part.close();
            }
        }
    }

    private static AutoCloseable stopping(OrthancProcess node) {
        return node == null ? null : node::stop;
    }

    @Test
    @Order(1)
    void eachGatewaySpreadsItsReadsOverBothNodes() throws Exception {
        for (PayaraMicro gateway : List.of(gatewayA, gatewayB)) {
            awaitNode(gateway, orthancA, true);
            awaitNode(gateway, orthancB, true);
        }
        Http.stowed(balancer.url(), authorization(UPLOADER), series);
        String path = "/pacs/studies/" + uidOf(series.get(0), "0020000D") + "/series";
        for (PayaraMicro gateway : List.of(gatewayA, gatewayB)) {
            // Orthanc writes the gateway's address into the answer (RetrieveURL): the same from either node.
            String answer = Http.text(RoundTrip.direct(gateway.url(), orthancA, path, DICOM_JSON));
            long logA = orthancA.logSize();
            long logB = orthancB.logSize();
            for (int i = 0; i < 8; i++) {
                HttpResponse<byte[]> read = Http.get(gateway.url() + path, authorization(VIEWER), DICOM_JSON);
                assertEquals(200, read.statusCode(), Http.text(read));
                assertEquals(answer, Http.text(read), "both nodes answer the same through " + gateway.url());
            }
            long onA = count(orthancA.requestsSince(logA), "GET " + path);
            long onB = count(orthancB.requestsSince(logB), "GET " + path);
            System.out.println("ClusterIT: 8 series searches through " + gateway.url() + ", " + onA + " on Orthanc node A, "
                    + onB + " on node B");
            assertTrue(onA > 0 && onB > 0, onA + " / " + onB);
            assertEquals(8, onA + onB, "each read asked once");
        }
    }

    @Test
    @Order(2)
    void whatIsStoredThroughTheLoadBalancerIsWhatEitherNodeServes() throws Exception {
        List<byte[]> instances = SyntheticStudies.ctSeries("cluster-it-stow", 3, 16, 16);
        Http.stowed(balancer.url(), authorization(UPLOADER), instances);
        String seriesPath = "/pacs/studies/" + uidOf(instances.get(0), "0020000D") + "/series/"
                + uidOf(instances.get(0), "0020000E");
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> search = Http.get(balancer.url() + seriesPath + "/instances", authorization(VIEWER), DICOM_JSON);
            assertEquals(200, search.statusCode());
            for (OrthancProcess node : List.of(orthancA, orthancB)) {
                assertEquals(Http.text(direct(node, seriesPath + "/instances", DICOM_JSON)), Http.text(search),
                        "QIDO through the load balancer as " + node.url() + " answers it");
            }
        }
        for (byte[] instance : instances) {
            String path = seriesPath + "/instances/" + uidOf(instance, "00080018");
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> retrieved = Http.get(balancer.url() + path, authorization(VIEWER), INSTANCE_ACCEPT);
                assertEquals(200, retrieved.statusCode());
                assertArrayEquals(instance, RoundTrip.onlyPart(retrieved), "the stored bytes");
                for (OrthancProcess node : List.of(orthancA, orthancB)) {
                    assertArrayEquals(RoundTrip.onlyPart(direct(node, path, INSTANCE_ACCEPT)),
                            RoundTrip.onlyPart(retrieved), node.url());
                }
            }
        }
    }

    /**
     * The real samples through the load balancer, compared with node A's and node B's answers in
     * turn: every file of the small folders (each a transfer syntax or a kind of image of its own)
     * and every tenth slice of the MR series (all 179 files took 60 s here; DicomWebIT stores
     * them all with one Orthanc).
     */
    @TestFactory
    @Order(3)
    Stream<DynamicTest> realSampleFilesRoundTripThroughTheLoadBalancer() throws IOException {
        Path samples = Path.of(System.getProperty("it.samples"));
        Map<Path, List<Path>> folders = RoundTrip.sampleFiles(samples).stream()
                .collect(Collectors.groupingBy(Path::getParent, TreeMap::new, Collectors.toList()));
        List<Path> files = folders.values().stream().flatMap(folder -> IntStream.range(0, folder.size())
                .filter(i -> folder.size() <= 10 || i % 10 == 0).mapToObj(folder::get)).toList();
        List<OrthancProcess> nodes = List.of(orthancA, orthancB);
        return IntStream.range(0, files.size()).mapToObj(i -> DynamicTest.dynamicTest(
                samples.relativize(files.get(i)).toString(),
                () -> RoundTrip.check(balancer.url(), nodes.get(i % 2), Files.readAllBytes(files.get(i)))));
    }

    @Test
    @Order(4)
    void seriesMetadataOrthancComputedForOneGatewayIsAHitOnTheOther() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("cluster-it-cache", 3, 16, 16);
        Http.stowed(gatewayA.url(), authorization(UPLOADER), slices);
        String seriesUid = uidOf(slices.get(0), "0020000E");
        String metadata = metadataPath(slices.get(0));
        long logA = orthancA.logSize();
        long logB = orthancB.logSize();
        HttpResponse<byte[]> throughA = metadata(gatewayA, metadata);
        HttpResponse<byte[]> throughB = metadata(gatewayB, metadata);
        assertEquals("miss", auditedCacheOutcome(throughA, "a"));
        assertEquals("hit", auditedCacheOutcome(throughB, "b"), "gateway B had it from the grid");
        long computed = Stream.concat(orthancA.requestsSince(logA).stream(), orthancB.requestsSince(logB).stream())
                .filter(request -> request.contains(seriesUid + "/metadata")).count();
        assertEquals(1, computed, "one of the two Orthanc nodes computed it, once");
        assertSameAsOrthanc(gatewayA, metadata, throughA);
        assertSameAsOrthanc(gatewayB, metadata, throughB);
    }

    /**
     * A change that no gateway carried, made at Orthanc node A directly (an instance stored with
     * node A's STOW-RS, then one deleted with its REST API), is in gateway B's next answer for a
     * series whose metadata B gave out from the grid's cache just before: never the kept one.
     */
    @Test
    @Order(5)
    void aChangeAtOneOrthancNodeIsInTheOtherGatewaysNextAnswer() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("cluster-it-node-change", 4, 16, 16);
        Http.stowed(gatewayA.url(), authorization(UPLOADER), slices.subList(0, 3));
        String metadata = metadataPath(slices.get(0));
        assertEquals("miss", auditedCacheOutcome(metadata(gatewayA, metadata), "a"));
        HttpResponse<byte[]> kept = metadata(gatewayB, metadata);
        assertEquals("hit", auditedCacheOutcome(kept, "b"));
        assertEquals(3, json(kept).asJsonArray().size());

        HttpResponse<byte[]> stored = Http.send(Http.request(orthancA.url() + "/pacs/studies")
                .header("Content-Type", Multipart.STOW_CONTENT_TYPE).header("Accept", DICOM_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.stowBody(slices.subList(3, 4)))));
        assertEquals(200, stored.statusCode(), "STOW-RS at Orthanc node A: " + Http.text(stored));
        HttpResponse<byte[]> afterStore = metadata(gatewayB, metadata);
        assertSameAsOrthanc(gatewayB, metadata, afterStore);
        assertEquals(4, json(afterStore).asJsonArray().size(), "the instance stored at node A is in");
        assertEquals("miss", auditedCacheOutcome(afterStore, "b"));
        HttpResponse<byte[]> keptAgain = metadata(gatewayB, metadata);
        assertEquals("hit", auditedCacheOutcome(keptAgain, "b"), "the new answer is kept in turn");
        assertSameAsOrthanc(gatewayB, metadata, keptAgain);

        String deleted = uidOf(slices.get(1), "00080018");
        orthancA.rest("DELETE", "/instances/" + orthancA.idOf(deleted), null);
        HttpResponse<byte[]> afterDelete = metadata(gatewayB, metadata);
        assertSameAsOrthanc(gatewayB, metadata, afterDelete);
        assertEquals(3, json(afterDelete).asJsonArray().size(), "the instance deleted at node A is gone");
        assertFalse(body(afterDelete).contains(deleted));
        assertNotEquals(json(keptAgain), json(afterDelete));
        assertEquals("miss", auditedCacheOutcome(afterDelete, "b"));
        assertSameAsOrthanc(gatewayA, metadata, metadata(gatewayA, metadata));
    }

    @Test
    @Order(6)
    void aNameLockedOnOneGatewayIsLockedOnTheOther() throws Exception {
        String studiesOnA = gatewayA.url() + "/pacs/studies";
        String studiesOnB = gatewayB.url() + "/pacs/studies";
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
    @Order(7)
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
    @Order(8)
    void aMemberWithoutTheSecretIsRefused() throws Exception {
        int strangerGridPort = PayaraMicro.freePort();
        try (PayaraMicro stranger = PayaraMicro.startBare(PayaraMicro.freePort(), dir.resolve("stranger").resolve("payara.log"),
                "--clustermode", "tcpip:127.0.0.1:" + gridPortA, "--interfaces", "127.0.0.1",
                "--startport", Integer.toString(strangerGridPort), "--clustername", "cluster-it")) {
            String strangers = stranger.logText();
            assertTrue(strangers.contains("DG Name: cluster-it DG Size: 1"), "the stranger is alone in a grid of its own");
            assertTrue(strangers.contains("the target cluster has a different cluster-name"),
                    "the stranger asked gateway A's grid to join it and was told no");
            assertTrue(gatewayA.logText().contains("invalid join request from [127.0.0.1]:" + strangerGridPort),
                    "gateway A's grid refused the stranger's join request");
            assertFalse(gatewayA.logText().contains("DG Size: 3"), "gateway A's grid kept its two members");
        }
    }

    @Test
    @Order(9)
    void anOrthancNodeKilledUnderReadsAndUploadsCostsNoLaterReadAndNoAcknowledgedUpload() throws Exception {
        for (PayaraMicro gateway : List.of(gatewayA, gatewayB)) {
            awaitNode(gateway, orthancB, true);
        }
        List<byte[]> uploads = SyntheticStudies.ctSeries("cluster-it-orthanc-failover", 400, 16, 16);
        Mix mix = new Mix(uploads);
        Thread.sleep(1500);
        long kill = System.nanoTime();
        long killedAt = System.currentTimeMillis();
        orthancB.kill();
        // At once, before a check can notice: taken in turn, some of these reach each gateway and the killed node.
        List<String> instances = mix.reads.stream().filter(read -> read.contains("/instances/")).toList();
        HttpClient now = Mix.connection();
        for (int i = 0; i < 8; i++) {
            mix.outcomes.add(mix.read(now, instances.get(i % instances.size())));
        }
        long seenOutA = awaitNode(gatewayA, orthancB, false) - kill;
        long seenOutB = awaitNode(gatewayB, orthancB, false) - kill;
        HttpResponse<byte[]> admin = Http.get(balancer.url() + "/pacs-admin/peers", authorization(ADMIN), "application/json");
        assertEquals(502, admin.statusCode(), "the archive console stays on its node: " + Http.text(admin));
        Thread.sleep(2000);
        List<Outcome> all = mix.stop();

        List<Outcome> failedReads = all.stream().filter(o -> !o.upload() && o.failed()).toList();
        long lastFailure = failedReads.stream().mapToLong(Outcome::end).max().orElse(kill) - kill;
        Set<String> inDatabase = orthancA.sopInstanceUidsOf(uidOf(uploads.get(0), "0020000E"));
        System.out.printf("ClusterIT: Orthanc node B killed (SIGKILL) under %d reads and %d uploads through HAProxy:"
                + " the gateways took it out %s and %s after the kill (the test saw it in their health checks after"
                + " %d and %d ms): the failover window; %d reads failed, the last ending %d ms after the kill; %s%n",
                all.stream().filter(o -> !o.upload()).count(), all.stream().filter(Outcome::upload).count(),
                takenOut(gatewayA, orthancB, killedAt), takenOut(gatewayB, orthancB, killedAt),
                TimeUnit.NANOSECONDS.toMillis(seenOutA), TimeUnit.NANOSECONDS.toMillis(seenOutB), failedReads.size(),
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, lastFailure)), uploadCounts(all, inDatabase));
        for (Outcome read : failedReads) {
            assertTrue(read.start() < kill, "a read that started after the kill failed: " + read);
        }
        // The gateways stay up: an upload under way on the killed node gets their 502.
        assertNoUploadLost(all, inDatabase, upload -> upload.status() >= 500);
        assertTrue(all.stream().anyMatch(o -> !o.upload() && o.start() > kill && !o.failed()), "reads went on");
        assertTrue(all.stream().anyMatch(o -> o.upload() && o.start() > kill && !o.failed()), "uploads went on");
        for (PayaraMicro gateway : List.of(gatewayA, gatewayB)) {
            assertEquals("UP", readiness(gateway).getString("status"), "ready with one node: " + readiness(gateway));
            assertTrue(nodeState(gateway, orthancB).startsWith("out since"), nodeState(gateway, orthancB));
            ScrapedMetrics metrics = ItHelpers.metrics(gateway.url());
            assertEquals(1, metrics.sum("ohif_gateway_upstream_node_up", "orthanc", orthancA.url()));
            assertEquals(0, metrics.sum("ohif_gateway_upstream_node_up", "orthanc", orthancB.url()));
        }
    }

    @Test
    @Order(10)
    void aNodeBackIsUsedAgainByEachGatewayAndTheConsoleWithIt() throws Exception {
        long start = System.nanoTime();
        orthancB.start();
        for (PayaraMicro gateway : List.of(gatewayA, gatewayB)) {
            long in = awaitNode(gateway, orthancB, true) - start;
            System.out.println("ClusterIT: restarted Orthanc node B back in at " + gateway.url() + " after "
                    + TimeUnit.NANOSECONDS.toMillis(in) + " ms");
            String path = "/pacs/studies/" + uidOf(series.get(0), "0020000D") + "/series";
            long logB = orthancB.logSize();
            for (int i = 0; i < 6; i++) {
                assertEquals(200, Http.get(gateway.url() + path, authorization(VIEWER), DICOM_JSON).statusCode());
            }
            assertTrue(count(orthancB.requestsSince(logB), "GET " + path) > 0, "the node is used again by " + gateway.url());
        }
        long logA = orthancA.logSize();
        long logB = orthancB.logSize();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, Http.get(balancer.url() + "/pacs-admin/peers", authorization(ADMIN), "application/json")
                    .statusCode());
        }
        assertEquals(4, count(orthancB.requestsSince(logB), "GET /peers"), "the console on its node");
        assertEquals(0, count(orthancA.requestsSince(logA), "GET /peers"), "never on the other");
    }

    /**
     * Behind HAProxy with the project's configuration, gateway B's server is killed under the same
     * mix of reads and uploads: once HAProxy's checks on /ready have taken it out, every new
     * request succeeds through gateway A; what failed in flight is counted, and no upload answered
     * with success is missing. Last, since it kills gateway B.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenAGatewayDiesTheLoadBalancerSendsEveryRequestToTheOther() throws Exception {
        List<byte[]> uploads = SyntheticStudies.ctSeries("cluster-it-gateway-failover", 400, 16, 16);
        Mix mix = new Mix(uploads);
        Thread.sleep(2_000);
        long killed = System.nanoTime();
        ProcessHandle.of(gatewayB.pid()).orElseThrow().destroyForcibly();
        Duration window = balancer.awaitStates(Map.of("gateway-b", "DOWN", "gateway-a", "UP"), Duration.ofSeconds(60));
        long down = killed + window.toNanos();
        Thread.sleep(3_000);
        List<Outcome> all = mix.stop();

        List<Outcome> before = all.stream().filter(o -> o.start() < killed).toList();
        List<Outcome> inWindow = all.stream().filter(o -> o.start() >= killed && o.start() < down).toList();
        List<Outcome> after = all.stream().filter(o -> o.start() >= down).toList();
        List<Outcome> failed = all.stream().filter(o -> o.failed() && o.end() >= killed).toList();
        long slowest = all.stream().filter(o -> o.end() >= killed).mapToLong(o -> o.end() - o.start()).max().orElse(0);
        Set<String> inDatabase = orthancA.sopInstanceUidsOf(uidOf(uploads.get(0), "0020000E"));
        System.out.printf("ClusterIT: gateway B killed (SIGKILL) under %d readers and %d uploaders; HAProxy marked it DOWN"
                + " after %d ms. Requests: %d before the kill, %d begun in the window, %d after it; failed since the kill:"
                + " %d reads, %d uploads %s; slowest answer since the kill %d ms; %s%n", Mix.READERS, Mix.UPLOADERS,
                window.toMillis(), before.size(), inWindow.size(), after.size(),
                failed.stream().filter(o -> !o.upload()).count(), failed.stream().filter(Outcome::upload).count(),
                failed.stream().map(o -> o.status() + " " + o.request()).toList(),
                TimeUnit.NANOSECONDS.toMillis(slowest), uploadCounts(all, inDatabase));
        // Requests under way at the kill may fail (they are counted above); those done before it may not.
        assertTrue(before.stream().filter(o -> o.end() < killed).noneMatch(Outcome::failed),
                "both gateways served before: " + before);
        assertTrue(after.stream().anyMatch(Outcome::upload) && after.stream().anyMatch(o -> !o.upload()),
                "reads and uploads were sent after the window");
        assertTrue(after.stream().noneMatch(Outcome::failed), "every request after the window succeeded: " + failed);
        // An upload under way on the killed gateway: on a fresh connection HAProxy answers 502; on one
        // that carried an earlier request it closes the client's connection without an answer instead
        // (as the gateway closed its own), which the client sees as a failure all the same.
        assertNoUploadLost(all, inDatabase, upload -> upload.status() >= 500 || upload.status() == -1);
        // And a new client, request after request, gets everything from gateway A.
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String read : mix.reads) {
            Outcome outcome = mix.read(fresh, read);
            assertEquals(200, outcome.status(), outcome.request());
        }
    }

    // ---------------------------------------------------------------- the mix of reads and uploads

    /** One request of a mix: what it was, when it ran (System.nanoTime), its status (-1: no answer). */
    private record Outcome(boolean upload, String request, long start, long end, int status, String sop, String failure) {

        boolean failed() {
            return status != 200;
        }
    }

    /**
     * Readers and uploaders sending requests through the load balancer, each on its own
     * connection, until stopped: the reads of a viewer opening a study (the viewer page, the study
     * list, the series' instances, metadata and files), and uploads of one new instance each.
     */
    private final class Mix {

        static final int READERS = 3;
        static final int UPLOADERS = 2;

        final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        final List<String> reads = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService workers = Executors.newFixedThreadPool(READERS + UPLOADERS);
        private final List<Future<?>> started = new ArrayList<>();

        Mix(List<byte[]> uploads) {
            String seriesPath = "/pacs/studies/" + uidOf(series.get(0), "0020000D") + "/series/"
                    + uidOf(series.get(0), "0020000E");
            reads.add("/");
            reads.add("/pacs/studies?limit=25&includefield=00081030");
            reads.add(seriesPath + "/metadata");
            for (byte[] instance : series) {
                reads.add(seriesPath + "/instances");
                reads.add(seriesPath + "/instances/" + uidOf(instance, "00080018"));
            }
            AtomicInteger nextUpload = new AtomicInteger();
            for (int reader = 0; reader < READERS; reader++) {
                int offset = reader;
                started.add(workers.submit(() -> {
                    HttpClient own = connection();
                    for (int i = offset; running.get(); i++) {
                        outcomes.add(read(own, reads.get(i % reads.size())));
                    }
                    return null;
                }));
            }
            for (int uploader = 0; uploader < UPLOADERS; uploader++) {
                started.add(workers.submit(() -> {
                    HttpClient own = connection();
                    int i;
                    while (running.get() && (i = nextUpload.getAndIncrement()) < uploads.size()) {
                        byte[] instance = uploads.get(i);
                        outcomes.add(run(true, "STOW-RS", uidOf(instance, "00080018"),
                                () -> own.send(Http.stow(balancer.url(), authorization(UPLOADER))
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.stowBody(List.of(instance))))
                                        .build(), HttpResponse.BodyHandlers.ofByteArray())));
                    }
                    return null;
                }));
            }
        }

        private static HttpClient connection() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        }

        Outcome read(HttpClient with, String path) {
            String accept = path.equals("/") ? "text/html" : path.contains("/instances/") ? INSTANCE_ACCEPT : DICOM_JSON;
            return run(false, path, null, () -> with.send(Http.request(balancer.url() + path)
                    .header("Authorization", authorization(VIEWER)).header("Accept", accept).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }

        /** Stops sending, waits for the requests under way; returns every outcome. */
        List<Outcome> stop() throws Exception {
            running.set(false);
            try {
                for (Future<?> worker : started) {
                    worker.get(60, TimeUnit.SECONDS);
                }
            } finally {
                workers.shutdownNow();
            }
            return List.copyOf(outcomes);
        }
    }

    private interface Exchange {
        HttpResponse<byte[]> send() throws IOException, InterruptedException;
    }

    private static Outcome run(boolean upload, String request, String sop, Exchange exchange) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> answer = exchange.send();
            return new Outcome(upload, request, start, System.nanoTime(), answer.statusCode(), sop,
                    answer.statusCode() == 200 ? "" : Http.text(answer));
        } catch (IOException e) {
            return new Outcome(upload, request, start, System.nanoTime(), -1, sop, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(upload, request, start, System.nanoTime(), -1, sop, e.toString());
        }
    }

    /** No silent loss: every upload answered 200 is in the database, and every other one failed as its client saw. */
    private static void assertNoUploadLost(List<Outcome> all, Set<String> inDatabase, Predicate<Outcome> seenAsFailed) {
        for (Outcome upload : all.stream().filter(Outcome::upload).toList()) {
            if (upload.failed()) {
                assertTrue(seenAsFailed.test(upload), "a failed upload gets an error: " + upload);
            } else {
                assertTrue(inDatabase.contains(upload.sop()), "an acknowledged upload is not in the database: " + upload);
            }
        }
    }

    private static String uploadCounts(List<Outcome> all, Set<String> inDatabase) {
        List<Outcome> refused = all.stream().filter(o -> o.upload() && o.failed()).toList();
        return String.format("%d uploads acknowledged, all in the database (asked of Orthanc node A); %d failed %s,"
                + " %d of these in the database all the same", all.stream().filter(o -> o.upload() && !o.failed()).count(),
                refused.size(), refused.stream().collect(Collectors.groupingBy(
                        o -> o.status() == -1 ? "no answer" : Integer.toString(o.status()), TreeMap::new, Collectors.counting())),
                refused.stream().filter(o -> inDatabase.contains(o.sop())).count());
    }

    // ---------------------------------------------------------------- helpers

    /** Orthanc's own answer at the node, asked as the gateways ask it for a client of the load balancer. */
    private HttpResponse<byte[]> direct(OrthancProcess node, String path, String accept)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = RoundTrip.direct(balancer.url(), node, path, accept);
        assertEquals(200, answer.statusCode(), node.url() + path);
        return answer;
    }

    private static String metadataPath(byte[] instance) {
        return "/pacs/studies/" + uidOf(instance, "0020000D") + "/series/" + uidOf(instance, "0020000E") + "/metadata";
    }

    private HttpResponse<byte[]> metadata(PayaraMicro gateway, String path) throws IOException, InterruptedException {
        return Http.send(Http.request(gateway.url() + path).header("Authorization", authorization(VIEWER))
                .header("Accept", DICOM_JSON).header("Accept-Encoding", "gzip"));
    }

    /** The answer's body, decompressed if the gateway sent it gzip-compressed. */
    private static String body(HttpResponse<byte[]> answer) throws IOException {
        boolean gzip = answer.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
        return new String(gzip ? new GZIPInputStream(new ByteArrayInputStream(answer.body())).readAllBytes() : answer.body(),
                StandardCharsets.UTF_8);
    }

    private static JsonValue json(HttpResponse<byte[]> answer) throws IOException {
        return Json.createReader(new StringReader(body(answer))).readValue();
    }

    /** Asserts that the gateway's answer is, as JSON, what each Orthanc node answers for a client of that gateway. */
    private void assertSameAsOrthanc(PayaraMicro gateway, String path, HttpResponse<byte[]> through) throws Exception {
        assertEquals(200, through.statusCode(), Http.text(through));
        for (OrthancProcess node : List.of(orthancA, orthancB)) {
            HttpResponse<byte[]> own = RoundTrip.direct(gateway.url(), node, path, DICOM_JSON);
            assertEquals(200, own.statusCode(), Http.text(own));
            assertEquals(json(own), json(through), path + " through " + gateway.url() + " as " + node.url() + " answers it");
        }
    }

    /** "hit" or "miss" as the gateway's audit trail recorded it. */
    private String auditedCacheOutcome(HttpResponse<byte[]> answer, String gateway) throws Exception {
        String line = ItHelpers.awaitAuditLine(dir.resolve("gateway-" + gateway).resolve("audit.0.log"),
                answer.headers().firstValue("X-Request-Id").orElseThrow(), Duration.ofSeconds(10));
        return Json.createReader(new StringReader(line)).readObject().getString("cache", "none");
    }

    private static long count(List<String> requests, String request) {
        return requests.stream().filter(request::equals).count();
    }

    private JsonObject readiness(PayaraMicro gateway) throws IOException, InterruptedException {
        HttpResponse<byte[]> health = Http.get(gateway.url() + "/health/ready", authorization(ADMIN), "application/json");
        return Json.createReader(new StringReader(Http.text(health))).readObject();
    }

    /** The node's state in the gateway's readiness check, such as "in since ..." or "out since ...: connection refused". */
    private String nodeState(PayaraMicro gateway, OrthancProcess node) throws IOException, InterruptedException {
        for (JsonValue check : readiness(gateway).getJsonArray("checks")) {
            if (check.asJsonObject().getString("name").equals("orthanc")) {
                return check.asJsonObject().getJsonObject("data").getString("node " + node.url(), "missing");
            }
        }
        throw new AssertionError("no orthanc check");
    }

    /** How long after the wall-clock time the gateway's log says it took the node out, and why. */
    private static String takenOut(PayaraMicro gateway, OrthancProcess node, long since) throws IOException {
        Matcher line = Pattern.compile("timeMillis: (\\d+)][^\\n]*Orthanc node " + Pattern.quote(node.url())
                + " taken out: ([^\\n\\]]*)").matcher(gateway.logText());
        while (line.find()) {
            long at = Long.parseLong(line.group(1));
            if (at >= since) {
                return (at - since) + " ms (" + line.group(2).strip() + ")";
            }
        }
        return "?";
    }

    /** Waits until the gateway has the node in (or out); returns System.nanoTime() when it saw so. */
    private long awaitNode(PayaraMicro gateway, OrthancProcess node, boolean in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = nodeState(gateway, node);
            if (state.startsWith(in ? "in" : "out")) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(node.url() + " not " + (in ? "in" : "out") + " at " + gateway.url() + " within 30 s: " + state);
    }
}
