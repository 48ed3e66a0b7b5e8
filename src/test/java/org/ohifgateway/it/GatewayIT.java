package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.NO_ROLE;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.metrics.ScrapedMetrics;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The packaged WAR on Payara Micro in front of a real Orthanc: logins and roles, the DICOMweb
 * round trip, the viewer's files, and what the user sees when the archive is gone.
 *
 * <p>The gateway is shared with other classes ({@link SharedGateway}). The tests from order 90 on
 * take the archive away (stopped, or a faulty upstream on its port) and put it back in a finally
 * block. The order only groups the tests for reading: none relies on another having run.
 */
@ExtendWith(SharedGateway.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {

    private static final String FRAME_ACCEPT =
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final String DICOM_JSON = "application/dicom+json";

    private String gateway() {
        return SharedGateway.url();
    }

    @Test
    @Order(1)
    void wrongPasswordsGet401WithBasicChallenge() throws Exception {
        // Five failed logins in a row lock a user out, and the gateway is shared: a successful
        // login before and after the four failures below clears the user's count, so neither
        // these nor failures another class left behind add up to a lockout.
        assertEquals(200, Http.get(gateway() + "/", authorization(VIEWER), "text/html").statusCode());
        for (String path : List.of("/", "/pacs/studies", "/pacs-admin/app/explorer.html", "/app-config.js")) {
            HttpResponse<byte[]> wrong = Http.get(gateway() + path, Http.basic(VIEWER, "not-the-password"), null);
            assertEquals(401, wrong.statusCode(), path);
            assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
        }
        assertEquals(200, Http.get(gateway() + "/", authorization(VIEWER), "text/html").statusCode());
    }

    @Test
    @Order(2)
    void rolesDecideWhoReachesWhat() throws Exception {
        AccessMatrix.check(gateway(), new AccessMatrix.Users(authorization(VIEWER), authorization(UPLOADER),
                authorization(ADMIN), authorization(NO_ROLE)), VIEWER);

        HttpResponse<byte[]> explorer = Http.get(gateway() + "/pacs-admin/app/explorer.html", authorization(ADMIN), null);
        assertEquals(200, explorer.statusCode());
        assertTrue(Http.text(explorer).contains("Orthanc"));

        HttpResponse<byte[]> bare = Http.get(gateway() + "/pacs-admin", authorization(ADMIN), null);
        assertTrue(bare.statusCode() == 301 || bare.statusCode() == 302, "status " + bare.statusCode());
        assertTrue(bare.headers().firstValue("Location").orElse("").endsWith("/pacs-admin/"));
        HttpResponse<byte[]> root = Http.get(gateway() + "/pacs-admin/", authorization(ADMIN), null);
        assertEquals("app/explorer.html", root.headers().firstValue("Location").orElse(""));
    }

    @Test
    @Order(3)
    void viewerCannotStoreButUploaderCanAndTheStudyComesBackExactly() throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries("gateway-it-stow", 4, 64, 64);
        byte[] body = Multipart.stowBody(slices);
        String studyUid = ItHelpers.uidOf(slices.get(0), "0020000D");
        String seriesUid = ItHelpers.uidOf(slices.get(0), "0020000E");
        String sopUid = ItHelpers.uidOf(slices.get(0), "00080018");

        HttpResponse<byte[]> refused = stow(body, authorization(VIEWER));
        assertEquals(403, refused.statusCode());
        assertEquals("[]", Http.text(Http.get(GatewayStack.orthanc().url()
                + "/pacs/studies?StudyInstanceUID=" + studyUid, null, DICOM_JSON)).strip(),
                "a refused upload must store nothing");

        HttpResponse<byte[]> stored = stow(body, authorization(UPLOADER));
        assertEquals(200, stored.statusCode(), Http.text(stored));

        String qido = Http.text(Http.get(gateway() + "/pacs/studies?StudyInstanceUID=" + studyUid,
                authorization(VIEWER), DICOM_JSON));
        assertTrue(qido.contains(studyUid), qido);
        assertTrue(qido.contains("\"" + gateway() + "/pacs/studies/" + studyUid + "\""),
                "RetrieveURL must point at the gateway: " + qido);
        assertFalse(qido.contains(":" + GatewayStack.orthanc().httpPort() + "/"), "no Orthanc address in " + qido);

        String instancePath = "/pacs/studies/" + studyUid + "/series/" + seriesUid + "/instances/" + sopUid;
        HttpResponse<byte[]> metadata = Http.get(gateway() + instancePath + "/metadata", authorization(VIEWER), DICOM_JSON);
        assertEquals(200, metadata.statusCode());
        Matcher bulk = Pattern.compile("\"BulkDataURI\"\\s*:\\s*\"([^\"]+)\"").matcher(Http.text(metadata));
        assertTrue(bulk.find(), "metadata has a BulkDataURI");
        assertTrue(bulk.group(1).startsWith(gateway() + "/pacs/studies/"), bulk.group(1));
        HttpResponse<byte[]> bulkData = Http.get(bulk.group(1), authorization(VIEWER), FRAME_ACCEPT);
        assertEquals(200, bulkData.statusCode(), "BulkDataURI is reachable through the gateway");

        HttpResponse<byte[]> viaGateway = Http.get(gateway() + instancePath + "/frames/1", authorization(VIEWER), FRAME_ACCEPT);
        HttpResponse<byte[]> direct = Http.get(GatewayStack.orthanc().url() + instancePath + "/frames/1", null, FRAME_ACCEPT);
        assertEquals(200, viaGateway.statusCode());
        List<byte[]> gatewayFrames = Multipart.parts(viaGateway.headers().firstValue("Content-Type").orElseThrow(), viaGateway.body());
        List<byte[]> directFrames = Multipart.parts(direct.headers().firstValue("Content-Type").orElseThrow(), direct.body());
        assertEquals(1, gatewayFrames.size());
        assertEquals(64 * 64 * 2, gatewayFrames.get(0).length);
        assertArrayEquals(directFrames.get(0), gatewayFrames.get(0));

        HttpResponse<byte[]> instance = Http.get(gateway() + instancePath, authorization(VIEWER),
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertArrayEquals(slices.get(0), Multipart.parts(instance.headers().firstValue("Content-Type").orElseThrow(),
                instance.body()).get(0), "the stored instance comes back byte for byte");
    }

    @Test
    @Order(4)
    void browserRoutesGetTheAppAndMissingFilesStay404() throws Exception {
        String index = Http.text(Http.get(gateway() + "/", authorization(VIEWER), "text/html"));
        assertTrue(index.contains("app.bundle."), "index.html of the OHIF build");
        for (String route : List.of("/viewer?StudyInstanceUIDs=1.2.840.113619.2.55.3", "/viewer/1.2.840.113619.2.55.3",
                "/segmentation", "/local")) {
            HttpResponse<byte[]> page = Http.get(gateway() + route, authorization(VIEWER), "text/html,application/xhtml+xml");
            assertEquals(200, page.statusCode(), route);
            assertEquals(index, Http.text(page), route);
        }
        assertEquals(404, Http.get(gateway() + "/app.bundle.missing.js", authorization(VIEWER), "*/*").statusCode());
        assertEquals(404, Http.get(gateway() + "/assets/missing.png", authorization(VIEWER), "image/png").statusCode());
    }

    @Test
    @Order(5)
    void staticFilesCarryTheTypesBrowsersNeed() throws Exception {
        Map<String, String> expected = Map.of(
                mainBundle(), "text/javascript",
                "/manifest.json", "application/json",
                "/probe.map", "application/json",
                "/probe.mjs", "text/javascript",
                "/" + firstFile(".wasm"), "application/wasm",
                "/" + firstFile(".woff2"), "font/woff2");
        for (Map.Entry<String, String> file : expected.entrySet()) {
            HttpResponse<byte[]> response = Http.get(gateway() + file.getKey(), authorization(VIEWER), "*/*");
            assertEquals(200, response.statusCode(), file.getKey());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(file.getValue()),
                    file.getKey() + " -> " + response.headers().firstValue("Content-Type"));
        }
    }

    @Test
    @Order(5)
    void staticFilesAreCompressedAndCachedAsBrowsersExpect() throws Exception {
        String url = gateway() + mainBundle();
        HttpResponse<byte[]> plain = Http.send(Http.request(url).header("Authorization", authorization(VIEWER)));
        HttpResponse<byte[]> gzipped = Http.send(Http.request(url).header("Authorization", authorization(VIEWER))
                .header("Accept-Encoding", "gzip, deflate, br"));
        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertTrue(gzipped.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(gzipped.body().length * 3 < plain.body().length, "compressed: " + gzipped.body().length);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes(), "the gzip copy is the same file");
        }
        for (HttpResponse<byte[]> answer : List.of(plain, gzipped)) {
            assertEquals("max-age=31536000, immutable", answer.headers().firstValue("Cache-Control").orElse(null));
            assertTrue(answer.headers().allValues("Vary").toString().contains("Accept-Encoding"));
        }
        String[] gzipCopy = revalidation(url, gzipped);
        if (gzipCopy[0].equals("If-None-Match")) {
            assertNotEquals(revalidation(url, plain)[1], gzipCopy[1], "each encoding has its own tag");
        }
        assertEquals(304, Http.send(Http.request(url).header("Authorization", authorization(VIEWER))
                .header("Accept-Encoding", "gzip").header(gzipCopy[0], gzipCopy[1])).statusCode());

        for (String page : List.of("/", "/index.html", "/viewer?StudyInstanceUIDs=1.2.3", "/app-config.js", "/sw.js",
                "/init-service-worker.js")) {
            HttpResponse<byte[]> first = Http.send(Http.request(gateway() + page).header("Authorization", authorization(VIEWER))
                    .header("Accept", "text/html").header("Accept-Encoding", "gzip"));
            assertEquals(200, first.statusCode(), page);
            assertTrue(first.headers().firstValue("Cache-Control").orElse("").contains("no-cache"), page + " is revalidated");
            String[] copy = revalidation(page, first);
            assertEquals(304, Http.send(Http.request(gateway() + page).header("Authorization", authorization(VIEWER))
                    .header("Accept", "text/html").header("Accept-Encoding", "gzip").header(copy[0], copy[1]))
                    .statusCode(), page);
        }
    }

    /**
     * The header and value a browser revalidates its copy with: If-None-Match and the ETag; the
     * files the gateway generates (index.html, app-config.js) carry one on every server. WildFly's
     * default servlet tags no static file, so there it is If-Modified-Since and the Last-Modified.
     */
    private static String[] revalidation(String what, HttpResponse<byte[]> answer) {
        Optional<String> tag = answer.headers().firstValue("ETag");
        if (tag.isPresent()) {
            return new String[] {"If-None-Match", tag.get()};
        }
        assertEquals("wildfly", SharedGateway.SERVER, what + " has no ETag");
        return new String[] {"If-Modified-Since", answer.headers().firstValue("Last-Modified")
                .orElseThrow(() -> new AssertionError(what + " has neither ETag nor Last-Modified"))};
    }

    @Test
    @Order(6)
    void appConfigUsesTheSameOriginPacsRouteAndOffersUploadOnlyToUploaders() throws Exception {
        String forViewer = Http.text(Http.get(gateway() + "/app-config.js", authorization(VIEWER), "*/*"));
        assertTrue(forViewer.contains("gatewayBase + '/pacs'"), forViewer);
        assertTrue(forViewer.contains("dicomUploadEnabled: settings.upload"), forViewer);
        assertTrue(forViewer.contains("\"upload\": false"), forViewer);
        assertTrue(forViewer.contains("thumbnailRendering: 'wadors'"));
        String forUploader = Http.text(Http.get(gateway() + "/app-config.js", authorization(UPLOADER), "*/*"));
        assertTrue(forUploader.contains("\"upload\": true"), forUploader);
        assertFalse(forUploader.contains("cloudfront"), "no public demo server left in the configuration");
    }

    @Test
    @Order(7)
    void pathsThatWouldLeaveTheDicomWebRootAreRefused() throws Exception {
        for (String path : List.of("/pacs/..%2Fsystem", "/pacs/%2e%2e/system", "/pacs/studies/..;/..;/system",
                "/pacs/studies//x", "/pacs/studies%5C..%5Csystem")) {
            // Payara resolves some spellings itself (to a missing static file, 404); the rest are ours (400).
            int status = Http.get(gateway() + path, authorization(ADMIN), DICOM_JSON).statusCode();
            assertTrue(status == 400 || status == 404, path + " -> " + status);
        }
        assertEquals(404, Http.get(gateway() + "/pacs/servers", authorization(ADMIN), DICOM_JSON).statusCode());
        assertEquals(404, Http.get(gateway() + "/pacs/system", authorization(ADMIN), DICOM_JSON).statusCode());
    }

    @Test
    @Order(90)
    void archiveDownGives502WithoutInternals() throws Exception {
        OrthancProcess orthanc = GatewayStack.orthanc();
        try {
            orthanc.stop();
            ScrapedMetrics before = ItHelpers.metrics(gateway());
            HttpResponse<byte[]> json = Http.get(gateway() + "/pacs/studies", authorization(VIEWER), DICOM_JSON);
            assertEquals(502, json.statusCode());
            assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            HttpResponse<byte[]> html = Http.get(gateway() + "/pacs-admin/app/explorer.html", authorization(ADMIN), "text/html");
            assertEquals(502, html.statusCode());
            for (HttpResponse<byte[]> response : List.of(json, html)) {
                String body = Http.text(response);
                assertFalse(body.contains(Integer.toString(orthanc.httpPort())), body);
                assertFalse(body.contains("127.0.0.1") || body.contains("localhost"), body);
                assertFalse(body.contains("Exception") || body.contains("at org."), body);
                assertTrue(body.contains(response.headers().firstValue("X-Request-Id").orElseThrow()), body);
            }
            ScrapedMetrics after = ItHelpers.metrics(gateway());
            for (String pool : List.of("DicomWeb", "Admin")) {
                assertEquals(1, upstreamErrors(before, after, pool, "unreachable"), pool);
                assertEquals(1, upstreamErrors(before, after, pool, null), pool + ": nothing else");
            }
            HttpResponse<byte[]> health = Http.get(SharedGateway.healthUrl() + "/ready", authorization(ADMIN), "application/json");
            assertEquals(503, health.statusCode(), "not ready without the archive");
            assertTrue(readiness("orthanc").startsWith("not reachable"), Http.text(health));
            HttpResponse<byte[]> loadBalancerCheck = Http.get(gateway() + "/ready", null, null);
            assertEquals(503, loadBalancerCheck.statusCode(), "the load balancer sends nobody here");
            assertEquals("not ready\n", Http.text(loadBalancerCheck), "and learns nothing else");
        } finally {
            // Put the archive back whatever happened: the other classes share this gateway.
            orthanc.start();
        }
    }

    @Test
    @Order(91)
    void theUsersCredentialsCookiesAndForwardingClaimsStayAtTheGateway() throws Exception {
        OrthancProcess orthanc = GatewayStack.orthanc();
        HttpServer recorder = null;
        try {
            orthanc.stop();
            // Orthanc cannot show what headers it received, so a recorder takes its port briefly.
            Map<String, List<String>> received = new ConcurrentHashMap<>();
            recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", orthanc.httpPort()), 0);
            recorder.createContext("/", exchange -> {
                // Only the proxied search: the metadata cache reads the change feed on its own meanwhile.
                if (exchange.getRequestURI().getPath().startsWith("/pacs/")) {
                    exchange.getRequestHeaders().forEach((name, values) -> received.put(name.toLowerCase(), values));
                }
                exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
                byte[] answer = "[]".getBytes();
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            recorder.start();
            HttpResponse<byte[]> response = Http.send(Http.request(gateway() + "/pacs/studies?PatientName=DEMO*")
                    .header("Authorization", authorization(VIEWER))
                    .header("Cookie", "JSESSIONID=secret-session")
                    .header("X-Forwarded-Host", "attacker.example")
                    .header("Forwarded", "host=attacker.example;proto=https")
                    .header("X-Forwarded-User", "admin").header("X-Remote-User", "admin").header("Remote-User", "admin")
                    .header("X-Orthanc-User", "admin").header("X-Auth-Token", "forged").header("Token", "forged")
                    .header("X-Original-URL", "/tools/reset").header("X-Rewrite-URL", "/tools/reset")
                    .header("X-Anything", "invented")
                    .header("Accept", DICOM_JSON));
            assertEquals(200, response.statusCode());
            assertNull(received.get("authorization"), "the user's Authorization header must not reach Orthanc");
            assertNull(received.get("cookie"), "no Cookie header upstream");
            for (String invented : List.of("x-forwarded-user", "x-remote-user", "remote-user", "x-orthanc-user",
                    "x-auth-token", "token", "x-original-url", "x-rewrite-url", "x-anything")) {
                assertNull(received.get(invented), invented + " reached Orthanc");
            }
            assertEquals(List.of(DICOM_JSON), received.get("accept"), "what DICOMweb needs is forwarded");
            String expectedHost = "127.0.0.1:" + SharedGateway.port();
            assertEquals(List.of("host=" + expectedHost + ";proto=http"), received.get("forwarded"));
            assertEquals(List.of(expectedHost), received.get("x-forwarded-host"));
        } finally {
            if (recorder != null) {
                recorder.stop(0);
            }
            // Put the archive back whatever happened: the other classes share this gateway.
            orthanc.start();
        }
    }

    @Test
    @Order(92)
    void aStalledArchiveGives504AfterTheReadTimeout() throws Exception {
        withFaultyUpstream(FaultyUpstream.Fault.STALL, upstream -> {
            ScrapedMetrics before = ItHelpers.metrics(gateway());
            HttpResponse<byte[]> response = Http.get(gateway() + "/pacs/studies", authorization(VIEWER), DICOM_JSON);
            assertEquals(504, response.statusCode());
            assertTrue(Http.text(response).contains(response.headers().firstValue("X-Request-Id").orElseThrow()));
            ScrapedMetrics after = ItHelpers.metrics(gateway());
            assertEquals(1, upstreamErrors(before, after, "DicomWeb", "timeout"));
            assertEquals(1, upstreamErrors(before, after, "DicomWeb", null), "nothing else");
        });
    }

    @Test
    @Order(93)
    void aBodyBrokenOffByTheArchiveIsNeverPresentedAsComplete() throws Exception {
        withFaultyUpstream(FaultyUpstream.Fault.RESET_MID_BODY, upstream -> {
            ScrapedMetrics before = ItHelpers.metrics(gateway());
            try (Socket socket = rawGet("/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5")) {
                socket.setSoTimeout(30_000);
                // Read as it arrives and keep it: a reset may end the connection after the first block.
                BrokenAnswer answer = BrokenAnswer.read(socket.getInputStream());
                String text = new String(answer.bytes(), StandardCharsets.ISO_8859_1);
                assertTrue(text.startsWith("HTTP/1.1 200"), answer.describe());
                assertTrue(answer.bodyBytes() >= FaultyUpstream.FIRST_BYTES,
                        "the first block was passed on before the connection ended: " + answer.describe());
                assertTrue(answer.bytes().length > FaultyUpstream.FIRST_BYTES, "the first block was passed on");
                assertFalse(text.endsWith("\r\n0\r\n\r\n"), "no final chunk after the archive broke off");
                assertFalse(answer.complete(), "a broken-off body must not end as a complete one: " + answer.describe());
            }
            ScrapedMetrics after = ItHelpers.metrics(gateway());
            assertEquals(1, upstreamErrors(before, after, "DicomWeb", "connection_failed"), "the archive's fault");
            assertEquals(1, upstreamErrors(before, after, "DicomWeb", null), "nothing else");
        });
    }

    /** A frame is held whole before it goes out: one the archive breaks off 8 KiB before its end is still a clean 502. */
    @Test
    void aFrameTheArchiveBreaksOffLateInIsStillA502WithoutTheArchivesHeaders() throws Exception {
        withFaultyUpstream(FaultyUpstream.Fault.RESET_SHORT_BODY, upstream -> {
            HttpResponse<byte[]> answer = Http.get(gateway() + "/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5/frames/1",
                    authorization(VIEWER), FRAME_ACCEPT);
            assertEquals(502, answer.statusCode(), Http.text(answer));
            // The archive's ETag and date describe a body the client did not get: a browser would keep them.
            assertEquals(Optional.empty(), answer.headers().firstValue("ETag"));
            assertEquals(Optional.empty(), answer.headers().firstValue("Last-Modified"));
            String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
            assertTrue(Http.text(answer).contains(requestId), Http.text(answer));
            assertEquals(Optional.of("nosniff"), answer.headers().firstValue("X-Content-Type-Options"));
            assertEquals(Optional.of("no-store"), answer.headers().firstValue("Cache-Control"));
        });
    }

    /**
     * An HTTP/1.1 answer read until the connection ended, by close or by reset (an IOException
     * after the bytes that arrived before it). Whether it looks complete follows its framing:
     * a final chunk, all of its Content-Length, or (with neither) a clean close.
     */
    private record BrokenAnswer(byte[] bytes, IOException reset) {

        static BrokenAnswer read(InputStream in) throws IOException {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException stalled) {
                throw new AssertionError("the answer neither ended nor broke off within 30 s after "
                        + received.size() + " bytes", stalled);
            } catch (IOException reset) {
                return new BrokenAnswer(received.toByteArray(), reset);
            }
            return new BrokenAnswer(received.toByteArray(), null);
        }

        private String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        private int headEnd() {
            return text().indexOf("\r\n\r\n");
        }

        private String header(String name) {
            int end = headEnd();
            for (String line : text().substring(0, Math.max(end, 0)).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }

        private boolean chunked() {
            return String.valueOf(header("transfer-encoding")).toLowerCase(Locale.ROOT).contains("chunked");
        }

        /** Content bytes that arrived: for a chunked body, its chunks' data decoded as far as it came. */
        long bodyBytes() {
            return body().content();
        }

        boolean complete() {
            if (headEnd() < 0) {
                return false;
            }
            if (chunked()) {
                return body().finalChunk();
            }
            String length = header("content-length");
            if (length != null) {
                return body().content() >= Long.parseLong(length);
            }
            return reset == null;
        }

        private record Body(long content, boolean finalChunk) {
        }

        private Body body() {
            int position = headEnd();
            if (position < 0) {
                return new Body(0, false);
            }
            position += 4;
            if (!chunked()) {
                return new Body(bytes.length - position, false);
            }
            String text = text();
            long content = 0;
            while (position < bytes.length) {
                int lineEnd = text.indexOf("\r\n", position);
                if (lineEnd < 0) {
                    break;
                }
                long size = Long.parseLong(text.substring(position, lineEnd).replaceAll(";.*", "").trim(), 16);
                if (size == 0) {
                    return new Body(content, true);
                }
                position = lineEnd + 2;
                content += Math.min(size, bytes.length - position);
                position += size + 2;
            }
            return new Body(content, false);
        }

        String describe() {
            int end = headEnd();
            return bytes.length + " bytes, " + (reset == null ? "closed" : "reset (" + reset + ")") + ", head: "
                    + text().substring(0, end < 0 ? Math.min(200, bytes.length) : end);
        }
    }

    @Test
    @Order(94)
    void bytesStreamBeforeTheArchiveFinishesAndALeavingClientReleasesTheArchive() throws Exception {
        withFaultyUpstream(FaultyUpstream.Fault.STREAM_ON_RELEASE, upstream -> {
            ScrapedMetrics before = ItHelpers.metrics(gateway());
            try (Socket socket = rawGet("/pacs/studies/1.2.3/series/1.2.4/instances/1.2.5")) {
                socket.setSoTimeout(15_000);
                InputStream in = socket.getInputStream();
                // The archive holds back everything after its first 64 KiB until released, so these
                // bytes can only have come through while it was still sending.
                byte[] first = in.readNBytes(FaultyUpstream.FIRST_BYTES);
                assertEquals(FaultyUpstream.FIRST_BYTES, first.length);
                assertEquals("1", readiness("DicomWeb.leased"), "the download holds a pooled connection");
                assertEquals(1, ItHelpers.metrics(gateway()).sum("ohif_gateway_upstream_connections", "pool", "DicomWeb",
                        "state", "leased"), "the metrics show the same");
                upstream.release();
                assertEquals(1 << 20, in.readNBytes(1 << 20).length);
            }
            assertTrue(upstream.awaitConnectionDropped(15), "the gateway closed its archive connection after the client left");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!readiness("DicomWeb.leased").equals("0") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("0", readiness("DicomWeb.leased"), "the connection went back to the pool");
            assertEquals(0, upstreamErrors(before, ItHelpers.metrics(gateway()), "DicomWeb", null),
                    "a client that leaves is not the archive's failure");
        });
    }

    @Test
    @Order(95)
    void theHealthEndpointShowsTheArchiveAndThePools() throws Exception {
        HttpResponse<byte[]> health = Http.get(SharedGateway.healthUrl() + "/ready", authorization(ADMIN), "application/json");
        assertEquals(200, health.statusCode(), Http.text(health));
        assertEquals("HTTP 200", readiness("orthanc"));
        assertEquals("128", readiness("DicomWeb.max"), "the configured pool size, not MITRE's 5");
        assertEquals("128", readiness("Admin.max"));
    }

    /** How many more failures of a kind (null: of any kind) the metrics show on a pool. */
    private static long upstreamErrors(ScrapedMetrics before, ScrapedMetrics after, String pool, String kind) {
        String[] labels = kind == null ? new String[] {"pool", pool} : new String[] {"pool", pool, "kind", kind};
        return Math.round(after.sum("ohif_gateway_upstream_errors_total", labels)
                - before.sum("ohif_gateway_upstream_errors_total", labels));
    }

    /** One value of the gateway's readiness check on the server's health endpoint. */
    private String readiness(String key) throws Exception {
        HttpResponse<byte[]> health = Http.get(SharedGateway.healthUrl() + "/ready", authorization(ADMIN), "application/json");
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(health.body()))) {
            JsonValue value = reader.readObject().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                    .filter(check -> check.getString("name").equals("orthanc")).findFirst()
                    .orElseThrow(() -> new AssertionError(Http.text(health))).getJsonObject("data").get(key);
            assertNotNull(value, key + " in " + Http.text(health));
            return value instanceof JsonString text ? text.getString() : value.toString();
        }
    }

    private Socket rawGet(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", SharedGateway.port());
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + SharedGateway.port()
                + "\r\nAuthorization: " + authorization(VIEWER) + "\r\nAccept: " + FRAME_ACCEPT
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    interface UpstreamCheck {
        void run(FaultyUpstream upstream) throws Exception;
    }

    private static void withFaultyUpstream(FaultyUpstream.Fault fault, UpstreamCheck check) throws Exception {
        OrthancProcess orthanc = GatewayStack.orthanc();
        try {
            orthanc.stop();
            try (FaultyUpstream upstream = new FaultyUpstream(orthanc.httpPort(), fault)) {
                check.run(upstream);
            }
        } finally {
            // The real archive comes back whatever happened: the other classes share this gateway.
            orthanc.start();
        }
    }

    private HttpResponse<byte[]> stow(byte[] body, String authorization) throws IOException, InterruptedException {
        return Http.send(Http.stow(gateway(), authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** The path of OHIF's main bundle, as index.html names it. */
    private String mainBundle() throws Exception {
        String index = Http.text(Http.get(gateway() + "/", authorization(VIEWER), "text/html"));
        Matcher bundle = Pattern.compile("src=\"(/app\\.bundle\\.[0-9a-f]+\\.js)\"").matcher(index);
        assertTrue(bundle.find(), index);
        return bundle.group(1);
    }

    private static String firstFile(String suffix) {
        File dist = new File(System.getProperty("it.war")).getParentFile().toPath().resolve("ohif-dist").toFile();
        String[] names = dist.list((dir, name) -> name.endsWith(suffix));
        assertTrue(names != null && names.length > 0, "the OHIF build has a " + suffix + " file");
        return names[0];
    }
}
