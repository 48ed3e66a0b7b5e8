package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.NO_ROLE;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;
import static org.ohifgateway.it.ItHelpers.uidOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

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
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The metadata cache against a real Orthanc of its own (which the tests change, restart and give
 * another database): after every change the gateway's next answer is Orthanc's own, byte for byte
 * after decompression, with no pause for the cache to catch up; the URLs in kept answers are each
 * client's, directly and behind a trusted proxy; the size limit holds; stable series are computed
 * before the first viewer asks. The gateway runs with a 1 MB cache and Orthanc reports series
 * stable after 1 s.
 */
@ExtendWith(GatewayStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The load test last: series it fills the cache with are computed ahead until well after it.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetadataCacheIT {

    private static final String DICOM_JSON = "application/dicom+json";
    private static final String PROXIED_HOST = "pacs.hospital.example";
    private static final int LIMIT_MB = 1;

    /** How a client reaches the gateway: directly, or through the trusted reverse proxy. */
    private enum Origin {
        DIRECT, PROXIED
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Path dir;
    private OrthancProcess orthanc;
    private PayaraMicro payara;
    private String gateway;

    @BeforeAll
    void startOrthancAndGateway() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "metadata-cache");
        Files.createDirectories(dir.resolve("orthanc"));
        orthanc = new OrthancProcess(dir.resolve("orthanc"), PayaraMicro.freePort(), PayaraMicro.freePort());
        orthanc.environment().put("ORTHANC_STABLE_AGE", "1");
        orthanc.start();
        int port = PayaraMicro.freePort();
        gateway = "http://127.0.0.1:" + port;
        Map<String, String> environment = new HashMap<>();
        environment.put("ORTHANC_URL", orthanc.url());
        environment.put("GATEWAY_PUBLIC_ORIGINS", gateway + ",https://" + PROXIED_HOST);
        // The test client stands in for a reverse proxy on this machine as well.
        environment.put("GATEWAY_TRUSTED_PROXIES", "127.0.0.1");
        environment.put("GATEWAY_CACHE_MAX_MB", Integer.toString(LIMIT_MB));
        environment.put("GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString());
        payara = PayaraMicro.start(Path.of(System.getProperty("it.war")), "/", port, environment,
                dir.resolve("payara.log"));
        payara.awaitReady(() -> client.send(HttpRequest.newBuilder(URI.create(gateway + "/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (payara != null) {
            payara.close();
        }
        if (orthanc != null) {
            orthanc.stop();
        }
    }

    @Test
    @Order(2)
    void seriesAndStudyMetadataFollowEveryChangeOfTheArchive() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("cache-it-changes", 6, 16, 16);
        store(slices.subList(0, 5));
        String study = uidOf(slices.get(0), "0020000D");
        String seriesMetadata = "/studies/" + study + "/series/" + uidOf(slices.get(0), "0020000E") + "/metadata";
        String studyMetadata = "/studies/" + study + "/metadata";
        sameAsOrthanc(seriesMetadata, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(seriesMetadata, Origin.DIRECT), "kept after the first request");
        sameAsOrthanc(studyMetadata, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(studyMetadata, Origin.DIRECT));

        // Asked at once: no pause for a background reading of the feed.
        store(slices.subList(5, 6));
        sameAsOrthanc(seriesMetadata, Origin.DIRECT);
        sameAsOrthanc(studyMetadata, Origin.DIRECT);

        orthanc.rest("DELETE", "/instances/" + orthanc.idOf(uidOf(slices.get(0), "00080018")), null);
        assertEquals("miss", sameAsOrthanc(seriesMetadata, Origin.DIRECT), "an instance deleted");
        assertEquals("miss", sameAsOrthanc(studyMetadata, Origin.DIRECT));

        // Orthanc writes modified copies of every instance into the same study and series.
        orthanc.rest("POST", "/studies/" + orthanc.idOf(study) + "/modify", "{\"Replace\":{\"StudyDescription\":\"Modified\"},"
                + "\"Keep\":[\"StudyInstanceUID\",\"SeriesInstanceUID\"],\"Force\":true}");
        sameAsOrthanc(seriesMetadata, Origin.DIRECT);
        sameAsOrthanc(studyMetadata, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(seriesMetadata, Origin.DIRECT));

        orthanc.rest("DELETE", "/series/" + orthanc.idOf(uidOf(slices.get(0), "0020000E")), null);
        sameAsOrthanc(seriesMetadata, Origin.DIRECT);
        sameAsOrthanc(studyMetadata, Origin.DIRECT);
        assertEquals(404, get(seriesMetadata, Origin.DIRECT, VIEWER).statusCode(), "the series is gone");
    }

    @Test
    @Order(1)
    void keptAnswersPassEveryCheckAForwardedRequestPasses() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("cache-it-checks", 2, 16, 16);
        store(slices);
        String metadata = "/studies/" + uidOf(slices.get(0), "0020000D") + "/series/" + uidOf(slices.get(0), "0020000E")
                + "/metadata";
        sameAsOrthanc(metadata, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(metadata, Origin.DIRECT));
        assertEquals(401, get(metadata, Origin.DIRECT, null).statusCode(), "no login");
        assertEquals(403, get(metadata, Origin.DIRECT, NO_ROLE).statusCode(), "no role");
        HttpResponse<byte[]> converted = send(request(metadata, Origin.DIRECT, VIEWER)
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50"));
        assertEquals(406, converted.statusCode(), "the transfer-syntax policy");
        HttpResponse<byte[]> head = send(request(metadata, Origin.DIRECT, VIEWER).header("Accept", DICOM_JSON)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals("hit", auditedCacheOutcome(head));
    }

    @Test
    @Order(3)
    void theStudyListFollowsNewAndDeletedStudies() throws Exception {
        // OHIF encodes the comma, which the route undoes for Orthanc 1.7 (IncludeFields); Orthanc is asked the same.
        String list = "/studies?limit=101&includefield=00081030,00080060";
        sameAsOrthanc(list, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(list, Origin.DIRECT));
        List<byte[]> arrived = SyntheticStudies.ctSeries("cache-it-new-study", 2, 16, 16);
        store(arrived);
        sameAsOrthanc(list, Origin.DIRECT);
        assertTrue(Http.text(get(list, Origin.DIRECT, VIEWER)).contains(uidOf(arrived.get(0), "0020000D")));
        assertEquals("hit", sameAsOrthanc(list, Origin.DIRECT));
        orthanc.rest("DELETE", "/studies/" + orthanc.idOf(uidOf(arrived.get(0), "0020000D")), null);
        assertEquals("miss", sameAsOrthanc(list, Origin.DIRECT), "a study deleted, which Orthanc does not log");
    }

    @Test
    @Order(4)
    void eachClientGetsTheUrlsOfTheOriginItUses() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("cache-it-origins", 3, 16, 16);
        store(slices);
        String study = uidOf(slices.get(0), "0020000D");
        String metadata = "/studies/" + study + "/series/" + uidOf(slices.get(0), "0020000E") + "/metadata";
        sameAsOrthanc(metadata, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(metadata, Origin.PROXIED), "kept for the direct client, rewritten");
        String proxied = Http.text(get(metadata, Origin.PROXIED, VIEWER));
        assertTrue(proxied.contains("\"https://" + PROXIED_HOST + "/pacs/studies/" + study), proxied);
        assertFalse(proxied.contains("127.0.0.1"), "none of the direct client's URLs");
        assertFalse(Http.text(get(metadata, Origin.DIRECT, VIEWER)).contains(PROXIED_HOST));
        String list = "/studies?StudyInstanceUID=" + study;
        sameAsOrthanc(list, Origin.PROXIED);
        assertEquals("hit", sameAsOrthanc(list, Origin.DIRECT), "and the other way round");
        assertEquals("hit", sameAsOrthanc(list, Origin.PROXIED));
    }

    @Test
    @Order(5)
    void theFirstViewerAfterAnUploadGetsMetadataComputedWhenTheSeriesBecameStable() throws Exception {
        // Series of the tests before become stable too: their computing ends first.
        long before = quietPrecomputedCount();
        List<byte[]> slices = SyntheticStudies.ctSeries("cache-it-stable", 4, 16, 16);
        store(slices);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (number(cacheHealth(), "precomputed") == before && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String metadata = "/studies/" + uidOf(slices.get(0), "0020000D") + "/series/" + uidOf(slices.get(0), "0020000E")
                + "/metadata";
        assertEquals("hit", sameAsOrthanc(metadata, Origin.DIRECT), "the very first request");
    }

    @Test
    @Order(6)
    void anotherDatabaseBehindTheSameOrthancEmptiesTheCache() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("cache-it-database", 6, 16, 16);
        store(slices.subList(0, 5));
        String metadata = "/studies/" + uidOf(slices.get(0), "0020000D") + "/series/" + uidOf(slices.get(0), "0020000E")
                + "/metadata";
        sameAsOrthanc(metadata, Origin.DIRECT);
        assertEquals("hit", sameAsOrthanc(metadata, Origin.DIRECT));
        orthanc.stop();
        Files.move(orthanc.database(), dir.resolve("replaced-database-" + System.nanoTime()));
        orthanc.start();
        // The same series with as many instances, one of them another: only the feed can tell.
        List<byte[]> other = new ArrayList<>(slices.subList(0, 4));
        other.add(slices.get(5));
        store(other);
        sameAsOrthanc(metadata, Origin.DIRECT);
    }

    @Test
    @Order(7)
    void theSizeLimitHoldsUnderManySeries() throws Exception {
        Random random = new Random(42);
        List<String> paths = new ArrayList<>();
        long before = quietPrecomputedCount();
        for (int s = 0; s < 24; s++) {
            List<byte[]> slices = SyntheticStudies.ctSeries("cache-it-load-" + s, 10, 16, 16);
            List<byte[]> commented = new ArrayList<>();
            for (byte[] slice : slices) {
                commented.add(withImageComments(slice, randomText(random, 10_000)));
            }
            store(commented);
            paths.add("/studies/" + uidOf(slices.get(0), "0020000D") + "/series/" + uidOf(slices.get(0), "0020000E")
                    + "/metadata");
        }
        // Computing ahead runs behind the uploads (far behind on a busy machine): once it is done
        // it no longer puts series into the cache in an order of its own while the test reads.
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (number(cacheHealth(), "precomputed") < before + paths.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(number(cacheHealth(), "precomputed") >= before + paths.size(), "every stable series computed ahead");
        for (String path : paths) {
            sameAsOrthanc(path, Origin.DIRECT);
            JsonObject cache = cacheHealth();
            assertTrue(number(cache, "bytes") <= number(cache, "limitBytes"),
                    cache.toString());
        }
        JsonObject cache = cacheHealth();
        System.out.printf("metadata cache after %d series: %s%n", paths.size(), cache);
        assertEquals(LIMIT_MB * 1024L * 1024, number(cache, "limitBytes"));
        assertTrue(number(cache, "evictions") > 0, "24 series of ~60 KB each pass 1 MB: " + cache);
        assertEquals("miss", sameAsOrthanc(paths.get(0), Origin.DIRECT), "the least recently used went first");
        assertEquals("hit", sameAsOrthanc(paths.get(paths.size() - 1), Origin.DIRECT), "the most recent stayed");
    }

    /** The count of series computed ahead, once it has not changed for 3 s. */
    private long quietPrecomputedCount() throws Exception {
        long count = -1;
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() - unchangedSince < Duration.ofSeconds(3).toNanos()) {
            long now = number(cacheHealth(), "precomputed");
            if (now != count) {
                count = now;
                unchangedSince = System.nanoTime();
            }
            Thread.sleep(200);
        }
        return count;
    }

    /**
     * Asserts that the gateway answers as Orthanc itself answers a client at that origin (the
     * body decompressed and byte for byte), and returns whether it came from the cache.
     */
    private String sameAsOrthanc(String path, Origin origin) throws Exception {
        HttpResponse<byte[]> through = send(request(path, origin, VIEWER).header("Accept", DICOM_JSON)
                .header("Accept-Encoding", "gzip"));
        HttpResponse<byte[]> own = client.send(HttpRequest.newBuilder(URI.create(orthanc.url() + "/pacs" + path))
                .header("Accept", DICOM_JSON).header("Forwarded", origin == Origin.DIRECT
                        ? "host=" + gateway.substring("http://".length()) + ";proto=http"
                        : "host=" + PROXIED_HOST + ";proto=https").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(own.statusCode(), through.statusCode(), path);
        byte[] body = through.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                ? new GZIPInputStream(new ByteArrayInputStream(through.body())).readAllBytes() : through.body();
        assertArrayEquals(own.body(), body, path + " for " + origin + ": " + new String(body, StandardCharsets.UTF_8));
        return auditedCacheOutcome(through);
    }

    private HttpRequest.Builder request(String path, Origin origin, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + "/pacs" + path))
                .timeout(Duration.ofSeconds(60));
        if (user != null) {
            request.header("Authorization", authorization(user));
        }
        if (origin == Origin.PROXIED) {
            request.header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", PROXIED_HOST);
        }
        return request;
    }

    private HttpResponse<byte[]> get(String path, Origin origin, String user) throws IOException, InterruptedException {
        return send(request(path, origin, user).header("Accept", DICOM_JSON));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** "hit" or "miss" as the audit trail recorded it for the answer. */
    private String auditedCacheOutcome(HttpResponse<byte[]> answer) throws Exception {
        String line = ItHelpers.awaitAuditLine(dir.resolve("audit.0.log"),
                answer.headers().firstValue("X-Request-Id").orElseThrow(), Duration.ofSeconds(10));
        return Json.createReader(new StringReader(line)).readObject().getString("cache", "none");
    }

    /** A number of the health check's data (the server writes them as strings). */
    private static long number(JsonObject data, String key) {
        return Long.parseLong(data.get(key).toString().replace("\"", ""));
    }

    private JsonObject cacheHealth() throws IOException, InterruptedException {
        HttpResponse<byte[]> health = client.send(HttpRequest.newBuilder(URI.create(gateway + "/health/ready"))
                .header("Authorization", authorization(ADMIN)).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        for (JsonValue check : Json.createReader(new StringReader(Http.text(health))).readObject().getJsonArray("checks")) {
            if (check.asJsonObject().getString("name").equals("cache")) {
                return check.asJsonObject().getJsonObject("data");
            }
        }
        throw new AssertionError("no cache check in " + Http.text(health));
    }

    /** Stores the instances in Orthanc directly, as a modality sends them. */
    private void store(List<byte[]> instances) throws IOException, InterruptedException {
        for (byte[] instance : instances) {
            orthanc.rest("POST", "/instances", instance);
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /**
     * The Part 10 file with an Image Comments (0020,4000) element of that text: a body that does
     * not compress, so a few series fill the cache. The generated files are explicit VR little
     * endian without sequences, so the element goes before the first one with a higher tag.
     */
    private static byte[] withImageComments(byte[] part10, String text) {
        byte[] value = (text.length() % 2 == 0 ? text : text + " ").getBytes(StandardCharsets.US_ASCII);
        int position = 132;
        while (position < part10.length) {
            int tag = (part10[position + 1] & 0xff) << 24 | (part10[position] & 0xff) << 16
                    | (part10[position + 3] & 0xff) << 8 | part10[position + 2] & 0xff;
            if (Integer.compareUnsigned(tag, 0x00204000) > 0 && tag >>> 16 != 0x0002) {
                break;
            }
            String vr = new String(part10, position + 4, 2, StandardCharsets.US_ASCII);
            boolean longLength = List.of("OB", "OW", "SQ", "UN", "UT").contains(vr);
            int length = longLength
                    ? (part10[position + 8] & 0xff | (part10[position + 9] & 0xff) << 8
                    | (part10[position + 10] & 0xff) << 16 | (part10[position + 11] & 0xff) << 24)
                    : (part10[position + 6] & 0xff | (part10[position + 7] & 0xff) << 8);
            position += (longLength ? 12 : 8) + length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(part10, 0, position);
        out.writeBytes(new byte[] {0x20, 0x00, 0x00, 0x40, 'L', 'T', (byte) value.length, (byte) (value.length >> 8)});
        out.writeBytes(value);
        out.write(part10, position, part10.length - position);
        return out.toByteArray();
    }
}
