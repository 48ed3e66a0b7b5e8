package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.LOCKOUT_VICTIM;
import static org.ohifgateway.it.GatewayStack.MONITOR;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.ByteArrayOutputStream;
import java.net.CookieManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The gateway as the only thing between users and the archive's full REST API: hostile request
 * targets, SSRF, CSRF, role escalation, dangerous admin functions, login throttling, the audit
 * trail, protective headers and limits, changes to the users file on the running server. What
 * reached Orthanc is read from Orthanc's own request log, not inferred from the gateway's answers.
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

    /**
     * WildFly's own answers differ where its HTTP codec answers before the gateway runs, and it logs
     * in against its properties realm, not the users file, which the gateway then does not watch
     * (README: What differs between the servers).
     */
    private static final boolean WILDFLY = SharedGateway.SERVER.equals("wildfly");
    private static final boolean USERS_FILE_WATCHED = !WILDFLY;

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
        assertEquals(200, Http.get(url, authorization(LOCKOUT_VICTIM), DICOM_JSON).statusCode(),
                "logged in before, so the gateway keeps the right password as checked (Payara)");
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
        answers.put("method not offered", Http.send(Http.request(gateway() + "/").header("Authorization",
                authorization(VIEWER)).method("FOO", HttpRequest.BodyPublishers.noBody())));
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
    @Order(9)
    void theLoadBalancerCheckNeedsNoLoginAndTellsNothing() throws Exception {
        HttpResponse<byte[]> ready = Http.get(gateway() + "/ready", null, null);
        assertEquals(200, ready.statusCode(), Http.text(ready));
        assertEquals("ready\n", Http.text(ready), "no names, addresses, versions or counts");
        assertTrue(ready.headers().firstValue("WWW-Authenticate").isEmpty());
        assertEquals("no-store", ready.headers().firstValue("Cache-Control").orElse(null));
        ready.headers().map().forEach((name, values) -> values.forEach(value -> assertFalse(
                value.contains("Payara") || value.contains("Orthanc") || value.contains("127.0.0.1")
                        || value.matches(".*\\d+\\.\\d+\\.\\d+.*") && !name.equalsIgnoreCase("date"),
                name + ": " + value)));
        HttpResponse<byte[]> head = Http.send(Http.request(gateway() + "/ready").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        HttpResponse<byte[]> post = Http.send(Http.request(gateway() + "/ready").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, post.statusCode(), "it is only read");
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        // Exactly this path is open: whatever lies beside or below it is the viewer's, behind the login.
        for (String path : List.of("/ready/", "/ready/x", "/ready/index.html", "/readyz", "/ready.html", "/READY",
                "/ready/../index.html", "/pacs/ready", "/metrics/ready")) {
            HttpResponse<byte[]> other = Http.get(gateway() + path, null, "text/html");
            assertEquals(401, other.statusCode(), path);
            assertFalse(Http.text(other).contains("ready"), path);
        }
    }

    @Test
    @Order(9)
    void onlyTheMonitoringUserReadsTheMetrics() throws Exception {
        for (String user : List.of(VIEWER, UPLOADER, ADMIN)) {
            assertEquals(403, Http.get(gateway() + "/metrics", authorization(user), null).statusCode(), user);
        }
        HttpResponse<byte[]> metrics = Http.get(gateway() + "/metrics", authorization(MONITOR), null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(Http.text(metrics).contains("ohif_gateway_requests_total{"), Http.text(metrics));
    }

    @Test
    @Order(9)
    void theMonitoringUserReadsNothingButTheMetrics() throws Exception {
        for (String path : List.of("/", "/index.html", "/app-config.js", "/metrics/viewer", "/pacs/studies",
                "/pacs-admin/system", "/health/ready", "/openapi")) {
            assertEquals(403, Http.get(gateway() + path, authorization(MONITOR), "text/html").statusCode(), path);
        }
        assertEquals(403, Http.send(Http.stow(gateway(), authorization(MONITOR))
                .POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode());
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

    @Test
    @Order(11)
    void addingChangingAndRemovingAUserTakesEffectWithoutARestart() throws Exception {
        // A user of its own, so the other tests' users and login counts stay as they were.
        String user = "reloaded";
        String first = GatewayStack.newPassword();
        String second = GatewayStack.newPassword();
        String studies = gateway() + "/pacs/studies?limit=1";
        String console = gateway() + "/pacs-admin/system";
        // Keeps any cookie the server sets, as a browser would: a session must not outlive the user.
        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager()).build();
        assertEquals(401, Http.get(studies, Http.basic(user, first), DICOM_JSON).statusCode(), "not a user yet");

        users(first, "add", user, "viewer");
        if (!USERS_FILE_WATCHED) {
            assertEquals(401, Http.get(studies, Http.basic(user, first), DICOM_JSON).statusCode(),
                    "a user of the users file is none of WildFly's realm");
            users("", "remove", user);
            return;
        }
        assertEquals(200, browser.send(Http.request(studies).header("Authorization", Http.basic(user, first)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "an added user gets in");

        users(second, "passwd", user);
        assertEquals(401, browser.send(Http.request(studies).header("Authorization", Http.basic(user, first)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the old password, even with the earlier cookies");
        assertEquals(200, Http.get(studies, Http.basic(user, second), DICOM_JSON).statusCode(), "the new password");

        assertEquals(403, Http.get(console, Http.basic(user, second), null).statusCode(), "a viewer");
        users("", "roles", user, "admin");
        assertEquals(200, Http.get(console, Http.basic(user, second), null).statusCode(), "now an admin");

        users("", "remove", user);
        assertEquals(401, browser.send(Http.request(studies).header("Authorization", Http.basic(user, second)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "a removed user, even with the earlier cookies");
    }

    /** WildFly's counterpart: its properties realm reads its files again when they change. */
    @EnabledIfSystemProperty(named = "it.server", matches = "wildfly")
    @Test
    @Order(11)
    void aUserAddedToOrRemovedFromWildFlysRealmFilesCountsWithoutARestart() throws Exception {
        String user = "realm-added";
        String password = GatewayStack.newPassword();
        String studies = gateway() + "/pacs/studies?limit=1";
        assertEquals(401, Http.get(studies, Http.basic(user, password), DICOM_JSON).statusCode(), "not a user yet");
        List<GatewayStack.User> users = new ArrayList<>(GatewayStack.users());
        users.add(new GatewayStack.User(user, password, "viewer"));
        SharedGateway.wildFly().writeUsers(users);
        awaitStatus(studies, Http.basic(user, password), 200, "an added user gets in");
        SharedGateway.wildFly().writeUsers(GatewayStack.users());
        awaitStatus(studies, Http.basic(user, password), 401, "a removed user");
    }

    /** Asks until the answer has the status; the realm notices a changed file at its next login, within seconds. */
    private static void awaitStatus(String url, String authorization, int status, String what) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int last;
        do {
            last = Http.get(url, authorization, DICOM_JSON).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        assertEquals(status, last, what);
    }

    @Test
    @Order(12)
    void aBrokenOrMissingUsersFileLocksNobodyOut() throws Exception {
        Path file = Path.of(System.getenv("GATEWAY_USERS_FILE"));
        String users = Files.readString(file);
        String studies = gateway() + "/pacs/studies?limit=1";
        try {
            // Cut off in the middle of the first user's name, as a copy that stopped halfway leaves it:
            // Payara's realm skips such a line and would have no users at all.
            Files.writeString(file, users.substring(0, 5));
            awaitUsersFileNotRead(file + " not read, line 1");
            assertEquals(200, Http.get(studies, authorization(VIEWER), DICOM_JSON).statusCode(), "users kept");
            // Payara's realm would create the missing file empty.
            Files.delete(file);
            awaitUsersFileNotRead(file + " is missing");
            assertEquals(200, Http.get(studies, authorization(VIEWER), DICOM_JSON).statusCode(), "users kept");
        } finally {
            int before = usersFileReads();
            Files.writeString(file, users);
            if (USERS_FILE_WATCHED) {
                awaitUsersFileRead(before);
            }
        }
        assertEquals(200, Http.get(studies, authorization(VIEWER), DICOM_JSON).statusCode());
    }

    /** Runs ohif-gateway-tools.jar on the shared users file and waits until the gateway has read the result. */
    private static void users(String password, String... command) throws Exception {
        String file = System.getenv("GATEWAY_USERS_FILE");
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("it.toolsJar"), "users", "--file", file));
        line.addAll(List.of(command));
        int before = usersFileReads();
        Process tool = new ProcessBuilder(line).redirectErrorStream(true).start();
        tool.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        tool.getOutputStream().close();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tool.waitFor(), output);
        long written = System.nanoTime();
        if (!USERS_FILE_WATCHED) {
            awaitUsersFileIgnored();
        } else if (awaitUsersFileRead(before)) {
            System.out.printf("users file: %s read by the gateway %d ms after the tool ended%n", command[0],
                    (System.nanoTime() - written) / 1_000_000);
        }
    }

    private static int usersFileReads() throws Exception {
        return (int) SharedGateway.logText().lines()
                .filter(line -> line.contains("Users file " + System.getenv("GATEWAY_USERS_FILE") + " read: ")).count();
    }

    /**
     * Waits (at most 20 s) for another "read" line in the server log, and says whether it came; the
     * requests that follow are the test.
     */
    private static boolean awaitUsersFileRead(int before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (usersFileReads() <= before) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** Waits for the gateway's log line about a users file it did not read (where it watches none: see below). */
    private static void awaitUsersFileNotRead(String line) throws Exception {
        if (!USERS_FILE_WATCHED) {
            awaitUsersFileIgnored();
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!SharedGateway.logText().contains(line)) {
            assertTrue(System.nanoTime() < deadline, "no \"" + line + "\" in the server log");
            Thread.sleep(100);
        }
    }

    /**
     * Where the gateway watches no users file (WildFly): its start-up log says why, and a change
     * gets the time Payara's realm takes to read one, so that the requests after it are the test.
     */
    private static void awaitUsersFileIgnored() throws Exception {
        assertTrue(SharedGateway.logText().contains("Users file not watched: this server is not Payara"),
                "the log says why the users file is not watched");
        Thread.sleep(3_000);
    }

    /** The uploader's STOW-RS request head up to its framing headers, on the given protocol. */
    private String stowHead(String protocol, boolean withLogin) {
        return "POST /pacs/studies " + protocol + "\r\nHost: 127.0.0.1:" + port() + "\r\n"
                + (withLogin ? "Authorization: " + authorization(UPLOADER) + "\r\n" : "")
                + "Origin: " + origin() + "\r\nContent-Type: " + Multipart.STOW_CONTENT_TYPE + "\r\n";
    }

    /** A request Orthanc would log, sent right after another on the same connection. */
    private String followingRequest() {
        return "GET /pacs-admin/system HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nAuthorization: "
                + authorization(ADMIN) + "\r\n\r\n";
    }

    private static byte[] chunked(byte[] body) {
        int half = body.length / 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, half);
        out.writeBytes(("\r\n" + Integer.toHexString(body.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, half, body.length - half);
        out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] concat(String head, byte[] body, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        out.writeBytes(after.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Orthanc's QIDO answer for the study's instances ("[]": none). */
    private String storedInstances(String study) throws Exception {
        return Http.text(Http.get(gateway() + "/pacs/instances?StudyInstanceUID=" + study, authorization(VIEWER),
                DICOM_JSON));
    }

    @Test
    @Order(13)
    void anUploadWhoseEndIsInDoubtIsRefusedEndsItsConnectionAndNothingReachesOrthanc() throws Exception {
        List<byte[]> series = SyntheticStudies.ctSeries("security-it-framing", 2, 16, 16);
        String study = ItHelpers.uidOf(series.get(0), "0020000D");
        byte[] stow = Multipart.stowBody(series);
        byte[] chunked = chunked(stow);
        // Framing headers, the body the client sends, and the gateway's answer. Payara reads each
        // Transfer-Encoding it does not take for "chunked" as "no body": Orthanc would get an
        // empty upload and the client Orthanc's 200, and the body would be read as the next request.
        record Framing(String protocol, String headers, byte[] body, int status, boolean byGateway) {

            Framing(String protocol, String headers, byte[] body, int status) {
                this(protocol, headers, body, status, true);
            }
        }
        String length = "Content-Length: " + stow.length;
        String folded = "Transfer-Encoding:\r\n chunked";
        List<Framing> framings = new ArrayList<>(List.of(
                new Framing("HTTP/1.1", "Transfer-Encoding: xchunked", chunked, 501),
                new Framing("HTTP/1.1", "Transfer-Encoding: identity, chunked", chunked, 501),
                new Framing("HTTP/1.1", "Transfer-Encoding: gzip, chunked", chunked, 501),
                new Framing("HTTP/1.1", "Transfer-Encoding: chunked, gzip", chunked, 501),
                new Framing("HTTP/1.1", "Transfer-Encoding: \"chunked\"", chunked, 400),
                new Framing("HTTP/1.1", folded, chunked, 400),
                // WildFly refuses a repeated framing header itself, before the gateway sees it.
                new Framing("HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", chunked, 400, !WILDFLY),
                new Framing("HTTP/1.1", "Transfer-Encoding: ", chunked, 400),
                // The server itself refuses a Content-Length with any other Transfer-Encoding than chunked.
                new Framing("HTTP/1.1", length + "\r\nTransfer-Encoding: xchunked", stow, 400, false),
                new Framing("HTTP/1.1", length + "\r\n" + length, stow, 400, !WILDFLY),
                new Framing("HTTP/1.0", "Transfer-Encoding: chunked", chunked, 400)));
        if (WILDFLY) {
            // Undertow replaces the fold by a space, as RFC 9112 allows: that upload is chunked (below).
            framings.removeIf(framing -> framing.headers().equals(folded));
        }
        long logStart = GatewayStack.orthanc().logSize();
        List<String> failures = new ArrayList<>();
        for (Framing framing : framings) {
            // With a login, and without one: then the container refuses the login before any filter runs.
            for (boolean withLogin : List.of(true, false)) {
                String head = stowHead(framing.protocol(), withLogin) + framing.headers() + "\r\n\r\n";
                RawHttp.Exchange exchange = RawHttp.exchange(port(), concat(head, framing.body(), followingRequest()), 20);
                String label = framing.headers() + (withLogin ? "" : " (no login)") + ": ";
                if (!exchange.statuses().equals(List.of(framing.status()))) {
                    failures.add(label + "answers " + exchange.statuses());
                }
                if (!exchange.closedByServer()) {
                    failures.add(label + "connection left open");
                }
                if (framing.byGateway() && !exchange.received().contains("X-Content-Type-Options: nosniff")) {
                    failures.add(label + "not the gateway's answer");
                }
            }
        }
        Thread.sleep(500);
        assertEquals(List.of(), failures);
        assertEquals(List.of(), forwarded(logStart),
                "neither the refused upload nor the request after it reached Orthanc");
        assertEquals("[]", storedInstances(study).strip(), "nothing was stored");
        if (WILDFLY) {
            long unfoldedStart = GatewayStack.orthanc().logSize();
            RawHttp.Exchange unfolded = RawHttp.exchange(port(),
                    concat(stowHead("HTTP/1.1", true) + folded + "\r\n\r\n", chunked, followingRequest()), 20);
            assertEquals(List.of(200), unfolded.statuses(), unfolded.received());
            assertTrue(unfolded.closedByServer(), "a chunked upload's connection ends");
            Thread.sleep(500);
            assertEquals(List.of("POST /pacs/studies"), forwarded(unfoldedStart), "the request after it reached nothing");
            String stored = storedInstances(study);
            for (byte[] instance : series) {
                assertTrue(stored.contains(ItHelpers.uidOf(instance, "00080018")), "the unfolded upload is stored whole");
            }
        }
    }

    @Test
    @Order(14)
    void aChunkedUploadIsStoredWholeAndEndsItsConnection() throws Exception {
        // The container drops a Content-Length that comes before "Transfer-Encoding: chunked", so
        // the gateway reads such a request as chunked, as RFC 9112 prescribes, and ends the
        // connection after it; so it does after every chunked upload.
        // WildFly refuses a Content-Length next to Transfer-Encoding in either order itself (400).
        for (String framing : List.of("Transfer-Encoding: chunked", "Content-Length: 10\r\nTransfer-Encoding: chunked")) {
            List<byte[]> series = SyntheticStudies.ctSeries("security-it-chunked-" + framing.length(), 2, 16, 16);
            String study = ItHelpers.uidOf(series.get(0), "0020000D");
            long logStart = GatewayStack.orthanc().logSize();
            String head = stowHead("HTTP/1.1", true) + "Accept: " + DICOM_JSON + "\r\n" + framing + "\r\n\r\n";
            RawHttp.Exchange exchange = RawHttp.exchange(port(),
                    concat(head, chunked(Multipart.stowBody(series)), followingRequest()), 60);
            if (WILDFLY && framing.startsWith("Content-Length")) {
                assertEquals(List.of(400), exchange.statuses(), framing + ": " + exchange.received());
                assertTrue(exchange.closedByServer(), framing + ": connection ended");
                Thread.sleep(500);
                assertEquals(List.of(), forwarded(logStart), framing + ": nothing reached Orthanc");
                assertEquals("[]", storedInstances(study).strip(), framing + ": nothing was stored");
                continue;
            }
            assertEquals(List.of(200), exchange.statuses(), framing + ": " + exchange.received());
            assertTrue(exchange.closedByServer(), framing + ": connection ended");
            assertTrue(exchange.received().contains("Connection: close"), framing);
            Thread.sleep(500);
            assertEquals(List.of("POST /pacs/studies"), forwarded(logStart),
                    framing + ": the upload reached Orthanc, the request after it did not");
            String stored = storedInstances(study);
            for (byte[] instance : series) {
                assertTrue(stored.contains(ItHelpers.uidOf(instance, "00080018")), framing + ": every instance stored");
            }
        }
        // The other order the server refuses itself, before the gateway sees it.
        long logStart = GatewayStack.orthanc().logSize();
        byte[] body = chunked(Multipart.stowBody(SyntheticStudies.ctSeries("security-it-chunked-te-cl", 1, 16, 16)));
        RawHttp.Exchange exchange = RawHttp.exchange(port(), concat(stowHead("HTTP/1.1", true)
                + "Transfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n", body, followingRequest()), 20);
        assertEquals(List.of(400), exchange.statuses(), exchange.received());
        assertTrue(exchange.closedByServer());
        Thread.sleep(500);
        assertEquals(List.of(), forwarded(logStart));
    }

    @Test
    @Order(15)
    void aMethodTheRouteDoesNotOfferGets405WithAllowAndIsNotForwarded() throws Exception {
        Map<String, String> viewer = Map.of("Authorization", authorization(VIEWER));
        Map<String, String> uploader = Map.of("Authorization", authorization(UPLOADER), "Origin", origin());
        Map<String, String> admin = Map.of("Authorization", authorization(ADMIN), "Origin", origin());
        record Asked(String method, String target, Map<String, String> headers, String allow) {
        }
        String viewerMethods = "GET, HEAD";
        String adminMethods = "GET, HEAD, POST, PUT, DELETE";
        List<Asked> requests = List.of(
                new Asked("FOO", "/", viewer, viewerMethods),
                new Asked("OPTIONS", "/", viewer, viewerMethods),
                new Asked("OPTIONS", "/index.jsp", viewer, viewerMethods),
                new Asked("PUT", "/app-config.js", uploader, viewerMethods),
                new Asked("POST", "/viewer", uploader, viewerMethods),
                new Asked("DELETE", "/pacs/studies/1.2.3", uploader, "GET, HEAD, POST"),
                new Asked("OPTIONS", "/pacs/studies", uploader, "GET, HEAD, POST"),
                new Asked("PUT", "/pacs/studies/1.2.3/series/1.2.4", uploader, viewerMethods),
                new Asked("PROPFIND", "/pacs-admin/", admin, adminMethods),
                new Asked("FOO", "/pacs-admin/system", admin, adminMethods),
                new Asked("PATCH", "/pacs-admin/patients", admin, adminMethods));
        long logStart = GatewayStack.orthanc().logSize();
        for (Asked asked : requests) {
            String label = asked.method() + " " + asked.target();
            RawHttp.Reply reply = RawHttp.send(port(), asked.method(), asked.target(), asked.headers(), null);
            assertEquals(405, reply.status(), label + ": " + reply.body());
            assertEquals(asked.allow(), reply.headers().get("allow"), label);
            assertEquals("nosniff", reply.headers().get("x-content-type-options"), label);
        }
        // A name the JSP engine takes elsewhere is the archive route's to judge inside it (not a UID).
        RawHttp.Reply serverPageName = RawHttp.send(port(), "POST", "/pacs/studies/1.2.3.jsp", uploader, null);
        assertEquals(404, serverPageName.status(), serverPageName.body());
        // What a bodiless request leaves behind (here an extra empty line) is no method at all. The
        // search is one of its own, which the metadata cache cannot hold from an earlier test.
        RawHttp.Exchange leftover = RawHttp.exchange(port(), ("GET /pacs/studies?PatientID=leftover-" + System.nanoTime()
                + " HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                + "\r\nAuthorization: " + authorization(VIEWER) + "\r\nAccept: " + DICOM_JSON + "\r\n\r\n\r\n"
                + followingRequest()).getBytes(StandardCharsets.ISO_8859_1), 20);
        assertEquals(List.of(200, 400), leftover.statuses(), leftover.received());
        assertTrue(leftover.closedByServer());
        Thread.sleep(500);
        assertEquals(List.of("GET /pacs/studies"), forwarded(logStart),
                "only the search reached Orthanc");
    }

    @Test
    @Order(16)
    void theAnswersTheServerGivesBeforeTheGatewayRunsHaveNoBodyAndReachNothing() throws Exception {
        // README (Security) lists Payara's: it answers them in its HTTP codec or connector. WildFly
        // answers a malformed percent-escape and a bare CR in the target with 400, and takes a bare
        // CR after the protocol version for the line's end: that search reaches the gateway.
        String host = "Host: 127.0.0.1:" + port() + "\r\nConnection: close\r\n";
        String login = "Authorization: " + authorization(VIEWER) + "\r\n";
        String bareCrAfterVersion = "GET /pacs/studies?PatientID=bare-cr-" + System.nanoTime() + " HTTP/1.1\rX: y\r\n"
                + host + login + "\r\n";
        Map<String, Integer> requests = new LinkedHashMap<>();
        requests.put("TRACE /pacs/studies HTTP/1.1\r\n" + host + login + "\r\n", 405);
        requests.put("TRACE / HTTP/1.1\r\n" + host + login + "\r\n", 405);
        requests.put("GET /%zz HTTP/1.1\r\n" + host + login + "\r\n", WILDFLY ? 400 : 200);
        requests.put("GET /pacs/studies%zz HTTP/1.1\r\n" + host + login + "\r\n", WILDFLY ? 400 : 200);
        requests.put(bareCrAfterVersion, WILDFLY ? 200 : 505);
        requests.put("GET /pacs/st\rudies HTTP/1.1\r\n" + host + login + "\r\n", WILDFLY ? 400 : 505);
        requests.put("GET /pacs/studies HTTP/1.1\r\n" + host + login + "X-Padding: " + "a".repeat(64 * 1024) + "\r\n\r\n", 400);
        long logStart = GatewayStack.orthanc().logSize();
        for (Map.Entry<String, Integer> request : requests.entrySet()) {
            String label = request.getKey().substring(0, request.getKey().indexOf("HTTP/1.1"));
            RawHttp.Exchange exchange = RawHttp.exchange(port(), request.getKey().getBytes(StandardCharsets.ISO_8859_1), 5);
            assertEquals(List.of(request.getValue()), exchange.statuses(), label + exchange.received());
            String received = exchange.received();
            if (WILDFLY && request.getKey().equals(bareCrAfterVersion)) {
                assertTrue(received.contains("X-Content-Type-Options: nosniff"), label + ": the gateway's answer");
            } else {
                assertTrue(received.endsWith("\r\n\r\n"), label + ": no body");
            }
            assertFalse(received.toLowerCase(Locale.ROOT).contains("authorization"),
                    label + ": nothing of the request echoed");
        }
        Thread.sleep(500);
        assertEquals(WILDFLY ? List.of("GET /pacs/studies") : List.of(), forwarded(logStart));
    }
}
