package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.LOCKOUT_VICTIM;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The gateway as the only thing between users and the archive's full REST API: hostile request
 * targets, SSRF, CSRF, role escalation, dangerous admin functions, login throttling, the audit
 * trail, protective headers and limits. What reached Orthanc is read from Orthanc's own request
 * log, not inferred from the gateway's answers.
 */
@ExtendWith(SharedGateway.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    private static final String DICOM_JSON = "application/dicom+json";
    /** What the gateway may ever ask Orthanc for: DICOMweb resources below /pacs/, UIDs and keywords only. */
    private static final Pattern ALLOWED_UPSTREAM = Pattern.compile(
            "(GET|POST) /pacs/(studies|series|instances|wado)"
                    + "(/([0-9.,]+|[0-9a-fA-F]{8}|series|instances|metadata|rendered|frames|bulk))*/?");

    /**
     * What the gateway asks Orthanc on its own, whatever clients send: its metadata cache reads the
     * change feed and the archive's counts, traces changes to their studies (by Orthanc's ids,
     * 44 characters) and finds the ids of UIDs.
     */
    private static final Pattern OWN_READS = Pattern.compile("GET /changes|GET /statistics"
            + "|GET /(patients|studies|series|instances)/[0-9a-f-]{44}(/statistics|/study|/studies)?|POST /tools/find");

    private String gateway() {
        return SharedGateway.url();
    }

    /** The requests Orthanc received from a log position on, but for the gateway's own reads. */
    private static List<String> forwarded(long logStart) throws IOException {
        return GatewayStack.orthanc().requestsSince(logStart).stream()
                .filter(request -> !OWN_READS.matcher(request).matches()).toList();
    }

    private int port() {
        return SharedGateway.port();
    }

    private String origin() {
        return Http.originOf(gateway());
    }

    /** Request targets that try to climb out of /pacs or reach Orthanc resources other than DICOMweb. */
    static List<String> hostileTargets() {
        Set<String> targets = new LinkedHashSet<>(List.of(
                // FIELD-NOTES probes: Orthanc normalises these into its core REST API.
                "/pacs/../system", "/pacs/..%2Fsystem", "/pacs/..%2fsystem", "/pacs/%2e%2e/system",
                "/pacs/%2E%2E/system", "/pacs/..\\system", "/pacs/..%5Csystem", "/pacs/../tools/create-dicom",
                "/pacs/servers", "/pacs/servers/x", "/pacs/servers/x/get", "/pacs/servers/x/post", "/pacs/info",
                "/pacs/system", "/pacs/Servers/x/get", "/pacs/SERVERS", "/pacs/./servers", "/pacs//servers",
                "/pacs/studies/..;/..;/system", "/pacs;/system", "/pacs/;/system", "/pacs;x=y/studies",
                "/pacs/studies;x=y", "/pacs%2f..%2fsystem", "/pacs%2F..%2Fsystem", "/pacs/studies%2f..%2f..%2fsystem",
                "/pacs/studies/1.2.3/../../servers", "/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5/file",
                "/pacs/studies/1.2.3/archive", "/pacs/studies/1.2.3/media", "/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5/frames/1/../../../../../../../system",
                "/pacs/studies/%00", "/pacs/studies%00/../../system", "/pacs/studies%0d%0aX-Injected:%20yes",
                "/pacs/studies/1.2.3%0a/series", "/pacs/%c0%ae%c0%ae/system", "/pacs/%e0%80%ae%e0%80%ae/system",
                "/pacs/%ef%bc%8e%ef%bc%8e/system", "/pacs/%252e%252e/system", "/pacs/%252e%252e%252fsystem",
                "/pacs/.%2e/system", "/pacs/%2e./system", "/pacs/.../system", "/pacs/studies/%2e", "/pacs/studies/.",
                "/pacs/studies/1.2.3/series/%2e%2e%2f%2e%2e%2fsystem", "/pacs/wado/../../system",
                "/pacs/wado?requestType=WADO&studyUID=1.2&seriesUID=1.3&objectUID=1.4&x=/../../system",
                "/pacs/studies?PatientName=/../../system", "/pacs/studies#/../../system", "/pacs/\\..\\system",
                "/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5/bulk/7fe00010/../../../../../../system",
                "/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5/frames/1%2f..%2f..", "/pacs/studies/abc",
                "/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5/frames/1;/../../system",
                "/pacs-admin/system", "/pacs-admin/../pacs-admin/system", "/pacs-admin/tools/shutdown",
                "/PACS/../system", "/Pacs/servers/x/get", "//pacs/../system", "/./pacs/../system",
                "/x/../pacs/../system", "/pacs/%2e%2e%2f%2e%2e%2fsystem", "/pacs/..%252fsystem",
                "http://127.0.0.1:" + System.getenv("ORTHANC_URL").replaceAll(".*:", "") + "/system",
                "http://evil.example/pacs/../system", "*"));
        List<String> climbs = List.of("..", "%2e%2e", "%2E%2e", ".%2E", "%2e.", "..;", "%252e%252e", "%c0%ae%c0%ae",
                "%c0%2e%c0%2e", "..%00", "..%09", "..%20", "%u002e%u002e");
        List<String> separators = List.of("/", "%2f", "%5c", "\\", "//", "%252f", "/./", ";/");
        // Not /changes or /statistics, which the gateway's cache reads itself (OWN_READS).
        List<String> destinations = List.of("system", "tools/shutdown", "tools/reset", "instances", "patients",
                "app/explorer.html", "peers/x/store", "modalities/x/store", "pacs/servers/x/get", "exports",
                "tools/execute-script", "jobs", "plugins");
        List<String> prefixes = List.of("/pacs/", "/pacs/studies/", "/pacs/studies/1.2.3/series/", "/pacs/wado/");
        int n = 0;
        for (String prefix : prefixes) {
            for (String climb : climbs) {
                for (String separator : separators) {
                    // A fixed sample of the combinations, spread over every climb, separator and destination.
                    String destination = destinations.get(n++ % destinations.size());
                    targets.add(prefix + climb + separator + climb + separator + climb + separator + destination);
                }
            }
        }
        return new ArrayList<>(targets);
    }

    @Test
    @Order(1)
    void hostileRequestTargetsNeverReachAnythingButDicomWeb() throws Exception {
        List<String> targets = hostileTargets();
        assertTrue(targets.size() >= 300, "corpus of " + targets.size());
        long logStart = GatewayStack.orthanc().logSize();
        Map<String, String> viewer = Map.of("Authorization", authorization(VIEWER));
        Map<String, String> uploader = Map.of("Authorization", authorization(UPLOADER), "Origin", origin());
        byte[] body = "{\"Url\":\"http://127.0.0.1:9/\",\"Tags\":{\"PatientName\":\"HOSTILE\"}}".getBytes();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String target : targets) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                boolean read = method.equals("GET");
                RawHttp.Reply reply = RawHttp.send(port(), method, target, read ? viewer : uploader, read ? null : body);
                sent++;
                if (reply.status() >= 500) {
                    failures.add(method + " " + target + " -> " + reply.status());
                }
                if (reply.body().contains("Payara") || reply.body().contains("Exception")) {
                    failures.add(method + " " + target + " -> server internals in the answer");
                }
            }
        }
        Thread.sleep(500);
        List<String> reached = forwarded(logStart);
        List<String> outside = reached.stream().filter(request -> !ALLOWED_UPSTREAM.matcher(request).matches()).toList();
        System.out.printf("hostile corpus: %d targets, %d requests, %d reached Orthanc%n", targets.size(), sent, reached.size());
        assertEquals(List.of(), failures, "no 5xx, no internals");
        assertEquals(List.of(), outside, "Orthanc routes reached outside the DICOMweb allowlist");
    }

    @Test
    @Order(2)
    void archiveCannotBeMadeToFetchUrls() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger fetched = new AtomicInteger();
        target.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        target.start();
        try {
            String url = "{\"Url\":\"http://127.0.0.1:" + target.getAddress().getPort() + "/\"}";
            long logStart = GatewayStack.orthanc().logSize();
            registerAndUse(UPLOADER, "/pacs/servers/evil", url);
            assertTrue(forwarded(logStart).stream().noneMatch(r -> r.contains("servers")),
                    "no servers route reached Orthanc for an uploader");
            // Admins may use the DICOMweb servers Orthanc's configuration lists, but not register new ones.
            logStart = GatewayStack.orthanc().logSize();
            registerAndUse(ADMIN, "/pacs/servers/evil", url);
            registerAndUse(ADMIN, "/pacs-admin/pacs/servers/evil", url);
            assertTrue(forwarded(logStart).stream().noneMatch(r -> r.startsWith("PUT")),
                    "no server was registered");
            Thread.sleep(300);
            assertEquals(0, fetched.get(), "Orthanc fetched the attacker's URL");
        } finally {
            target.stop(0);
        }
    }

    private void registerAndUse(String user, String path, String url) throws Exception {
        HttpResponse<byte[]> put = Http.send(Http.request(gateway() + path)
                .header("Authorization", authorization(user)).header("Origin", origin())
                .PUT(HttpRequest.BodyPublishers.ofString(url)));
        assertTrue(put.statusCode() == 403 || put.statusCode() == 404 || put.statusCode() == 405,
                user + " PUT " + path + " -> " + put.statusCode());
        HttpResponse<byte[]> get = Http.send(Http.request(gateway() + path + "/get")
                .header("Authorization", authorization(user)).header("Origin", origin())
                .POST(HttpRequest.BodyPublishers.ofString("{\"Uri\":\"/\"}")));
        assertNotEquals(200, get.statusCode(), user + " POST " + path + "/get");
    }

    @Test
    @Order(3)
    void changesFromAnotherSiteAreRefused() throws Exception {
        byte[] stow = Multipart.stowBody(SyntheticStudies.ctSeries("security-it-csrf", 1, 16, 16));
        long logStart = GatewayStack.orthanc().logSize();
        for (Map<String, String> claimed : List.of(Map.of("Origin", "http://evil.example"),
                Map.of("Referer", "http://evil.example/page"), Map.of("Origin", "null"), Map.<String, String>of(),
                Map.of("Origin", origin() + ".evil.example"), Map.of("Origin", "https://127.0.0.1:" + port()))) {
            HttpRequest.Builder request = Http.request(gateway() + "/pacs/studies")
                    .header("Authorization", authorization(UPLOADER))
                    .header("Content-Type", Multipart.STOW_CONTENT_TYPE).header("Accept", DICOM_JSON);
            claimed.forEach(request::header);
            HttpResponse<byte[]> response = Http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(stow)));
            assertEquals(403, response.statusCode(), claimed + ": " + Http.text(response));
            HttpResponse<byte[]> admin = Http.send(withHeaders(Http.request(gateway() + "/pacs-admin/tools/create-dicom")
                    .header("Authorization", authorization(ADMIN)), claimed)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Tags\":{\"PatientName\":\"CSRF\"}}")));
            assertEquals(403, admin.statusCode(), "admin " + claimed);
        }
        assertTrue(forwarded(logStart).stream().noneMatch(r -> r.startsWith("POST")),
                "no refused change reached Orthanc");

        HttpResponse<byte[]> ownReferer = Http.send(Http.request(gateway() + "/pacs/studies")
                .header("Authorization", authorization(UPLOADER)).header("Referer", gateway() + "/viewer")
                .header("Content-Type", Multipart.STOW_CONTENT_TYPE).header("Accept", DICOM_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(stow)));
        assertEquals(200, ownReferer.statusCode(), "the gateway's own page may upload");
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        return request;
    }

    @Test
    @Order(4)
    void rolesCannotBeEscalated() throws Exception {
        byte[] stow = Multipart.stowBody(SyntheticStudies.ctSeries("security-it-roles", 1, 16, 16));
        String study = ItHelpers.uidOf(SyntheticStudies.ctSeries("security-it-roles", 1, 16, 16).get(0), "0020000D");
        assertEquals(200, Http.send(Http.stow(gateway(), authorization(UPLOADER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(stow))).statusCode());
        long logStart = GatewayStack.orthanc().logSize();

        assertEquals(403, Http.send(Http.stow(gateway(), authorization(VIEWER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(stow))).statusCode(), "viewer STOW");
        for (String user : List.of(VIEWER, UPLOADER)) {
            HttpResponse<byte[]> delete = Http.send(Http.request(gateway() + "/pacs/studies/" + study)
                    .header("Authorization", authorization(user)).header("Origin", origin()).DELETE());
            assertTrue(delete.statusCode() == 403 || delete.statusCode() == 405, user + " DELETE " + delete.statusCode());
            HttpResponse<byte[]> override = Http.send(Http.request(gateway() + "/pacs/studies/" + study)
                    .header("Authorization", authorization(user)).header("X-HTTP-Method-Override", "DELETE")
                    .header("X-Forwarded-User", ADMIN).header("X-Remote-User", ADMIN).header("Remote-User", ADMIN)
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
            assertEquals(200, override.statusCode(), "an override header changes nothing");
            for (String path : List.of("/pacs-admin/", "/pacs-admin/system", "/pacs-admin/studies",
                    "/pacs-admin/app/explorer.html")) {
                HttpResponse<byte[]> admin = Http.send(Http.request(gateway() + path)
                        .header("Authorization", authorization(user)).header("X-Forwarded-User", ADMIN)
                        .header("X-Forwarded-Roles", "admin"));
                assertEquals(403, admin.statusCode(), user + " " + path);
            }
        }
        List<String> reached = forwarded(logStart);
        assertTrue(reached.stream().allMatch(r -> r.startsWith("GET /pacs/studies/" + study)), reached.toString());
        assertEquals(200, Http.get(gateway() + "/pacs/studies?StudyInstanceUID=" + study, authorization(VIEWER),
                DICOM_JSON).statusCode());
        assertTrue(Http.text(Http.get(gateway() + "/pacs/studies?StudyInstanceUID=" + study, authorization(VIEWER),
                DICOM_JSON)).contains(study), "the study is still there");
    }

    @Test
    @Order(5)
    void dangerousArchiveFunctionsAreRefusedEvenToAdmins() throws Exception {
        long logStart = GatewayStack.orthanc().logSize();
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("POST /tools/shutdown", "");
        requests.put("POST /tools/reset", "");
        requests.put("POST /tools/execute-script", "print(1)");
        requests.put("PUT /peers/evil", "{\"Url\":\"http://127.0.0.1:9/\"}");
        requests.put("PUT /modalities/evil", "{\"AET\":\"EVIL\",\"Host\":\"127.0.0.1\",\"Port\":9}");
        requests.put("PUT /pacs/servers/evil", "{\"Url\":\"http://127.0.0.1:9/\"}");
        // Orthanc's own DICOMweb root, whatever the gateway was told, in other spellings too.
        requests.put("PUT /dicom-web/servers/evil", "{\"Url\":\"http://127.0.0.1:9/\"}");
        requests.put("PUT /dicom-web/%73ervers/evil", "{\"Url\":\"http://127.0.0.1:9/\"}");
        requests.put("PUT /dicom-web/servers/evil/", "{\"Url\":\"http://127.0.0.1:9/\"}");
        requests.put("PUT /Dicom-Web/SERVERS/evil", "{\"Url\":\"http://127.0.0.1:9/\"}");
        requests.put("POST /TOOLS/Shutdown", "");
        for (Map.Entry<String, String> request : requests.entrySet()) {
            String[] parts = request.getKey().split(" ");
            HttpResponse<byte[]> response = Http.send(Http.request(gateway() + "/pacs-admin" + parts[1])
                    .header("Authorization", authorization(ADMIN)).header("Origin", origin())
                    .method(parts[0], HttpRequest.BodyPublishers.ofString(request.getValue())));
            assertEquals(403, response.statusCode(), request.getKey());
        }
        assertEquals(List.of(), forwarded(logStart), "none reached Orthanc");
        assertEquals(200, Http.get(gateway() + "/pacs-admin/system", authorization(ADMIN), null).statusCode(),
                "the archive is still up");
    }

    @Test
    @Order(5)
    // Order: 5 like the deny-list test; neither leaves anything behind.
    void aRequestNamingAnotherHostIsRefusedBeforeAnythingHappens() throws Exception {
        long logStart = GatewayStack.orthanc().logSize();
        String viewer = "Authorization: " + authorization(VIEWER) + "\r\n";
        String admin = "Authorization: " + authorization(ADMIN) + "\r\n";
        Map<String, String> requests = new LinkedHashMap<>();
        // Orthanc would write the host into its URLs; the admin route would redirect to it.
        requests.put("unknown host", "GET /pacs/studies HTTP/1.1\r\nHost: evil.example\r\n" + viewer);
        requests.put("unknown host, its own origin", "POST /pacs/studies HTTP/1.1\r\nHost: evil.example\r\n"
                + "Authorization: " + authorization(UPLOADER) + "\r\nOrigin: http://evil.example\r\n"
                + "Content-Type: multipart/related; type=\"application/dicom\"; boundary=b\r\nContent-Length: 6\r\n");
        requests.put("redirect", "GET /pacs-admin HTTP/1.1\r\nHost: evil.example\r\n" + admin);
        requests.put("two hosts", "GET /pacs/studies HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                + "\r\nHost: evil.example\r\n" + viewer);
        for (Map.Entry<String, String> request : requests.entrySet()) {
            RawHttp.Reply reply = RawHttp.sendHead(port(), request.getValue() + "Connection: close\r\n\r\n",
                    request.getKey().contains("origin") ? "--b--\r\n".getBytes(StandardCharsets.US_ASCII) : null);
            assertEquals(400, reply.status(), request.getKey() + ": " + reply.body());
            assertFalse(reply.body().contains("evil.example"), request.getKey());
            assertFalse(String.valueOf(reply.headers().get("location")).contains("evil"), request.getKey());
        }
        assertEquals(200, RawHttp.sendHead(port(), "GET /pacs/studies HTTP/1.1\r\nHost: LOCALHOST:" + port()
                + "\r\n" + viewer + "Connection: close\r\n\r\n", null).status(), "a loopback name is answered");
        Thread.sleep(500);
        // The loopback search may have been answered from the cache, then nothing reached Orthanc.
        List<String> reached = forwarded(logStart);
        assertTrue(reached.stream().allMatch("GET /pacs/studies"::equals), "only the loopback search reached Orthanc: "
                + reached);
    }

    @Test
    @Order(6)
    void repeatedFailedLoginsAreSlowedThenRefusedUntilTheCoolDownEnds() throws Exception {
        String wrong = Http.basic(LOCKOUT_VICTIM, "not-the-password");
        String url = gateway() + "/pacs/studies";
        // Limits for this deployment (pom.xml): refused after 5 failures, slowed from the 4th by 100 ms steps.
        long[] millis = new long[4];
        for (int i = 0; i < 4; i++) {
            long started = System.nanoTime();
            assertEquals(401, Http.get(url, wrong, DICOM_JSON).statusCode(), "failure " + (i + 1));
            millis[i] = (System.nanoTime() - started) / 1_000_000;
        }
        assertTrue(millis[3] >= 100, "the 4th failure is answered slowly: " + millis[3] + " ms");
        HttpResponse<byte[]> refused = Http.get(url, wrong, DICOM_JSON);
        assertEquals(429, refused.statusCode());
        int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 4, "Retry-After " + retryAfter);

        assertEquals(429, Http.get(url, authorization(LOCKOUT_VICTIM), DICOM_JSON).statusCode(),
                "while refused, even the right password gets nowhere (nothing to learn from guessing)");
        assertEquals(429, Http.get(gateway() + "/", authorization(LOCKOUT_VICTIM), null).statusCode());
        assertEquals(200, Http.get(url, authorization(VIEWER), DICOM_JSON).statusCode(), "other users go on");

        Thread.sleep(retryAfter * 1000L + 300);
        assertEquals(200, Http.get(url, authorization(LOCKOUT_VICTIM), DICOM_JSON).statusCode(),
                "after the cool-down the right password works again");
    }

    @Test
    @Order(7)
    void everyAccessToTheArchiveIsAuditedWithoutCredentials() throws Exception {
        List<byte[]> series = SyntheticStudies.ctSeries("security-it-audit", 1, 16, 16);
        String study = ItHelpers.uidOf(series.get(0), "0020000D");
        String seriesUid = ItHelpers.uidOf(series.get(0), "0020000E");
        String instance = ItHelpers.uidOf(series.get(0), "00080018");
        Map<String, HttpResponse<byte[]>> accesses = new LinkedHashMap<>();
        accesses.put("STOW", Http.send(Http.stow(gateway(), authorization(UPLOADER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.stowBody(series)))));
        accesses.put("QIDO", Http.get(gateway() + "/pacs/studies?PatientName=TEST*&includefield=00081030",
                authorization(VIEWER), DICOM_JSON));
        accesses.put("WADO_RS", Http.get(gateway() + "/pacs/studies/" + study + "/series/" + seriesUid + "/metadata",
                authorization(VIEWER), DICOM_JSON));
        accesses.put("WADO_URI", Http.get(gateway() + "/pacs/wado?requestType=WADO&studyUID=" + study + "&seriesUID="
                + seriesUid + "&objectUID=" + instance + "&contentType=application/dicom", authorization(VIEWER), null));
        accesses.put("ADMIN", Http.get(gateway() + "/pacs-admin/studies", authorization(ADMIN), null));
        accesses.put("refused role", Http.get(gateway() + "/pacs-admin/studies", authorization(VIEWER), null));
        accesses.put("refused login", Http.get(gateway() + "/pacs/studies/" + study, Http.basic(VIEWER, "wrong-password"),
                DICOM_JSON));

        Path file = Path.of(System.getenv("GATEWAY_AUDIT_FILE").replace("%g", "0"));
        for (Map.Entry<String, HttpResponse<byte[]>> access : accesses.entrySet()) {
            String id = access.getValue().headers().firstValue("X-Request-Id").orElseThrow();
            String line = ItHelpers.awaitAuditLine(file, id, Duration.ofSeconds(2));
            String kind = access.getKey();
            assertTrue(line.contains("\"status\":" + access.getValue().statusCode()), line);
            assertTrue(line.contains("\"client\":\"127.0.0.1\""), line);
            switch (kind) {
                case "STOW" -> assertTrue(line.contains("\"user\":\"" + UPLOADER + "\"") && line.contains("\"route\":\"STOW\"")
                        && line.contains("\"roles\":[\"uploader\"]"), line);
                case "QIDO" -> assertTrue(line.contains("\"route\":\"QIDO\"") && line.contains("\"PatientName\":[\"TEST*\"]")
                        && line.contains("\"includefield\":[\"00081030\"]"), line);
                case "WADO_RS" -> assertTrue(line.contains("\"route\":\"WADO_RS\"") && line.contains("\"studyUid\":\"" + study)
                        && line.contains("\"seriesUid\":\"" + seriesUid) && !line.contains("\"bytes\":0,"), line);
                case "WADO_URI" -> assertTrue(line.contains("\"route\":\"WADO_URI\"") && line.contains("\"instanceUid\":\"" + instance)
                        && line.contains("\"bytes\":" + access.getValue().body().length + ","), line);
                case "ADMIN" -> assertTrue(line.contains("\"route\":\"ADMIN\"") && line.contains("\"roles\":[\"admin\"]"), line);
                case "refused role" -> assertTrue(line.contains("\"status\":403") && line.contains("\"outcome\":\"refused\"")
                        && line.contains("\"user\":\"" + VIEWER + "\""), line);
                case "refused login" -> assertTrue(line.contains("\"status\":401") && line.contains("\"studyUid\":\"" + study)
                        && line.contains("\"user\":\"\"") && line.contains("\"attemptedUser\":\"" + VIEWER + "\""), line);
                default -> throw new IllegalStateException(kind);
            }
        }
        String trail = Files.readString(file);
        for (String user : List.of(VIEWER, UPLOADER, ADMIN)) {
            String secret = authorization(user);
            assertFalse(trail.contains(secret.substring(6)), "no Authorization value in the audit trail");
        }
        assertFalse(trail.contains("wrong-password"));
    }

    @Test
    @Order(8)
    void everyKindOfAnswerCarriesTheProtectiveHeaders() throws Exception {
        Map<String, HttpResponse<byte[]>> answers = new LinkedHashMap<>();
        answers.put("static page", Http.get(gateway() + "/", authorization(VIEWER), "text/html"));
        answers.put("viewer route", Http.get(gateway() + "/viewer?StudyInstanceUIDs=1.2.3", authorization(VIEWER), "text/html"));
        answers.put("app config", Http.get(gateway() + "/app-config.js", authorization(VIEWER), null));
        answers.put("missing asset", Http.get(gateway() + "/missing.bundle.js", authorization(VIEWER), null));
        answers.put("proxied", Http.get(gateway() + "/pacs/studies", authorization(VIEWER), DICOM_JSON));
        answers.put("admin console", Http.get(gateway() + "/pacs-admin/app/explorer.html", authorization(ADMIN), null));
        answers.put("login refused", Http.get(gateway() + "/pacs/studies", null, DICOM_JSON));
        answers.put("role refused", Http.get(gateway() + "/pacs-admin/system", authorization(VIEWER), "text/html"));
        answers.put("route refused", Http.get(gateway() + "/pacs/servers", authorization(VIEWER), DICOM_JSON));
        answers.put("bad path", Http.get(gateway() + "/pacs/studies/%252e%252e", authorization(VIEWER), DICOM_JSON));
        for (Map.Entry<String, HttpResponse<byte[]>> answer : answers.entrySet()) {
            var headers = answer.getValue().headers();
            String kind = answer.getKey() + " (" + answer.getValue().statusCode() + ")";
            assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(null), kind);
            assertEquals("same-origin", headers.firstValue("Referrer-Policy").orElse(null), kind);
            String csp = headers.firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("frame-ancestors"), kind + ": " + csp);
            assertTrue(headers.firstValue("Server").isEmpty(), kind + ": Server " + headers.firstValue("Server"));
            assertTrue(headers.firstValue("X-Powered-By").isEmpty(), kind);
            // One caching statement, without the container's HTTP/1.0 Pragma.
            assertTrue(headers.firstValue("Pragma").isEmpty(), kind);
            assertTrue(headers.allValues("Cache-Control").size() <= 1, kind + ": " + headers.allValues("Cache-Control"));
            String body = Http.text(answer.getValue());
            assertFalse(body.contains("Payara") || body.contains("Exception") || body.contains("127.0.0.1:"
                    + GatewayStack.orthanc().httpPort()), kind + " shows internals: " + body);
        }
        assertTrue(answers.get("proxied").headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"));
        assertEquals(List.of("private, no-cache"), answers.get("proxied").headers().allValues("Cache-Control"));
        assertTrue(answers.get("static page").headers().firstValue("Strict-Transport-Security").isEmpty(),
                "no HSTS over plain HTTP");
    }

    @Test
    @Order(9)
    void theServersOwnEndpointsAreClosedToUsers() throws Exception {
        for (String path : List.of("/health", "/metrics", "/openapi")) {
            assertEquals(401, Http.get(gateway() + path, null, null).statusCode(), path);
            assertEquals(403, Http.get(gateway() + path, authorization(VIEWER), null).statusCode(), path);
        }
    }

    @Test
    @Order(10)
    void anOversizedUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
        long logStart = GatewayStack.orthanc().logSize();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization(UPLOADER));
        headers.put("Origin", origin());
        headers.put("Content-Type", Multipart.STOW_CONTENT_TYPE);
        // 5 GB announced, above this deployment's 4096 MB limit; no body follows.
        headers.put("Content-Length", "5000000000");
        long started = System.nanoTime();
        RawHttp.Reply reply = RawHttp.send(port(), "POST", "/pacs/studies", headers, null);
        assertEquals(413, reply.status(), reply.body());
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "answered without waiting for the body");
        assertTrue(forwarded(logStart).isEmpty(), "nothing reached Orthanc");

        RawHttp.Reply hugeHeader = RawHttp.send(port(), "GET", "/pacs/studies",
                Map.of("Authorization", authorization(VIEWER), "X-Padding", "a".repeat(64 * 1024)), null);
        assertTrue(hugeHeader.status() == 400 || hugeHeader.status() == 413 || hugeHeader.status() == 431,
                "oversized headers refused: " + hugeHeader.status());
    }
}
