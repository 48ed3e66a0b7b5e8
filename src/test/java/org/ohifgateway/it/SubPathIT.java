package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The WAR deployed under /ohif while Orthanc's DICOMweb root stays /pacs/ (ORTHANC_DICOMWEB_ROOT):
 * every absolute URL in Orthanc's JSON answers and multipart part headers must still lead to the
 * gateway's /ohif/pacs/. The WAR differs from the packaged one (its payara-web.xml names /ohif),
 * so this class runs its own Payara Micro rather than the shared gateway.
 */
@ExtendWith(GatewayStack.class)
class SubPathIT {

    private static final Pattern ABSOLUTE_URL = Pattern.compile("\"(https?://[^\"]+)\"");
    private static final String DICOM_JSON = "application/dicom+json";

    private static PayaraMicro payara;

    @BeforeAll
    static void deployUnderOhif() throws Exception {
        Path dir = Path.of(System.getProperty("it.dir"), "sub-path");
        Files.createDirectories(dir);
        Path war = dir.resolve("ohif-gateway.war");
        Files.copy(Path.of(System.getProperty("it.war")), war, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(war)) {
            Files.writeString(zip.getPath("WEB-INF/payara-web.xml"),
                    "<payara-web-app><context-root>/ohif</context-root></payara-web-app>");
        }
        // Its own audit file: the shared gateway may hold the one of the build's environment.
        // The container's own BASIC login here (no kept logins), so that it stays tested on
        // Payara too, the viewer in the browser included; the other deployments keep logins.
        // The POSIX locale, as a service often has: Java 17 would read passwords as ASCII.
        payara = PayaraMicro.startAndAwaitLogin(war, "/ohif",
                Map.of("GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString(), "GATEWAY_LOGIN_CACHE_SECONDS", "0",
                        "LC_ALL", "C", "LANG", "C"),
                dir.resolve("payara.log"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (payara != null) {
            payara.close();
        }
    }

    @Test
    void aPasswordBeyondAsciiWorksWhateverTheServersLocale() throws Exception {
        String user = "juergen";
        String password = "Grüße-" + GatewayStack.newPassword();
        String studies = payara.url() + "/pacs/studies?limit=1";
        users(password, "add", user, "viewer");
        try {
            assertEquals(200, Http.get(studies, Http.basic(user, password), DICOM_JSON).statusCode(),
                    "sent in UTF-8, as browsers send it");
            assertEquals(401, Http.get(studies, Http.basic(user, password.replace("ü", "u")), DICOM_JSON).statusCode());
        } finally {
            users("", "remove", user);
        }
    }

    /** Runs ohif-gateway-tools.jar on the users file and waits until this gateway has read the result. */
    private static void users(String password, String... command) throws Exception {
        String file = System.getenv("GATEWAY_USERS_FILE");
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("it.toolsJar"), "users", "--file", file));
        line.addAll(List.of(command));
        long reads = payara.logText().lines().filter(logged -> logged.contains("Users file " + file + " read: ")).count();
        Process tool = new ProcessBuilder(line).redirectErrorStream(true).start();
        tool.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        tool.getOutputStream().close();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tool.waitFor(), output);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (payara.logText().lines().filter(logged -> logged.contains("Users file " + file + " read: ")).count() <= reads) {
            assertTrue(System.nanoTime() < deadline, "the gateway did not read the users file after: " + String.join(" ", command));
            Thread.sleep(100);
        }
    }

    @Test
    void orthancsUrlsAreRewrittenToTheSubPath() throws Exception {
        String gateway = payara.url();
        assertTrue(gateway.endsWith("/ohif"), gateway);
        List<byte[]> slices = SyntheticStudies.ctSeries("sub-path-it", 2, 32, 32);
        HttpResponse<byte[]> stored = Http.stowed(gateway, authorization(UPLOADER), slices);
        assertAllUrlsUnder(gateway + "/pacs/", Http.text(stored));
        String studyUid = ItHelpers.uidOf(slices.get(0), "0020000D");

        for (String accept : List.of("identity", "gzip")) {
            HttpResponse<byte[]> qido = Http.send(Http.request(gateway + "/pacs/studies?StudyInstanceUID=" + studyUid)
                    .header("Authorization", authorization(VIEWER)).header("Accept", DICOM_JSON)
                    .header("Accept-Encoding", accept));
            assertEquals(200, qido.statusCode());
            // Forwarded, a rewritten answer goes out uncompressed; from the metadata cache, in gzip where accepted.
            String coding = qido.headers().firstValue("Content-Encoding").orElse("identity");
            assertTrue(coding.equals("identity") || coding.equals(accept), accept + " accepted, " + coding + " sent");
            assertAllUrlsUnder(gateway + "/pacs/", coding.equals("gzip")
                    ? new String(new GZIPInputStream(new ByteArrayInputStream(qido.body())).readAllBytes(),
                    StandardCharsets.UTF_8) : Http.text(qido));
        }

        HttpResponse<byte[]> metadata = Http.get(gateway + "/pacs/studies/" + studyUid + "/metadata",
                authorization(VIEWER), DICOM_JSON);
        String json = Http.text(metadata);
        Matcher bulk = Pattern.compile("\"BulkDataURI\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(bulk.find(), json);
        assertAllUrlsUnder(gateway + "/pacs/", json);
        assertEquals(200, Http.get(bulk.group(1), authorization(VIEWER),
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*").statusCode(),
                "the rewritten BulkDataURI works");

        // Frames: Orthanc writes a Content-Location into each part's headers; the image data stays as it is.
        String frames = "/studies/" + studyUid + "/series/" + ItHelpers.uidOf(slices.get(0), "0020000E")
                + "/instances/" + ItHelpers.uidOf(slices.get(0), "00080018") + "/frames/1";
        String framesAccept = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        HttpResponse<byte[]> proxied = Http.get(gateway + "/pacs" + frames, authorization(VIEWER), framesAccept);
        HttpResponse<byte[]> direct = Http.get(GatewayStack.orthanc().url() + "/pacs" + frames, null, framesAccept);
        assertEquals(200, proxied.statusCode());
        String partHeaders = Http.text(proxied).split("\r\n\r\n", 2)[0];
        Matcher location = Pattern.compile("Content-Location: (\\S+)").matcher(partHeaders);
        assertTrue(location.find(), partHeaders);
        assertTrue(location.group(1).startsWith(gateway + "/pacs/studies/"), location.group(1));
        String contentType = proxied.headers().firstValue("Content-Type").orElseThrow();
        assertArrayEquals(Multipart.parts(direct.headers().firstValue("Content-Type").orElseThrow(), direct.body()).get(0),
                Multipart.parts(contentType, proxied.body()).get(0));
        assertEquals(200, Http.get(location.group(1), authorization(VIEWER), framesAccept).statusCode(),
                "the rewritten Content-Location works");
    }

    @Test
    void everyRouteFollowsTheContextPath() throws Exception {
        String gateway = payara.url();
        assertEquals(401, Http.get(gateway + "/pacs/studies", null, DICOM_JSON).statusCode());
        assertEquals(200, Http.get(gateway + "/pacs-admin/app/explorer.html", authorization(ADMIN), null).statusCode());
        assertEquals(403, Http.get(gateway + "/pacs-admin/app/explorer.html", authorization(VIEWER), null).statusCode());
        String config = Http.text(Http.get(gateway + "/app-config.js", authorization(VIEWER), null));
        assertTrue(config.contains("gatewayBase + '/pacs'"));
    }

    @Test
    void theServersOwnHealthEndpointIsNotOpenAtTheServerRoot() throws Exception {
        // Outside the context root the WAR's login does not reach: Payara would show readiness there to anyone.
        String root = "http://127.0.0.1:" + payara.httpPort();
        for (String path : List.of("/health", "/health/ready", "/health/live")) {
            HttpResponse<byte[]> answer = Http.get(root + path, null, null);
            assertEquals(404, answer.statusCode(), path);
            assertFalse(Http.text(answer).contains("orthanc"), path);
        }
    }

    @Test
    void theViewerWorksInTheBrowserUnderTheSubPath() throws Exception {
        String gateway = payara.url();
        SyntheticStudies.Series ct = SyntheticStudies.ct("sub-path-browser", "SUBPATH^Generated CT", "SUBPATH-1",
                "20260102", 8, 128, 128);
        byte[] first = ItHelpers.stored(gateway, ct.instances());
        BrowserSuite.run("sub-path", Map.of(
                "GATEWAY_URL", gateway,
                "VIEWER_USER", VIEWER, "VIEWER_PASSWORD", GatewayStack.password(VIEWER),
                "E2E_IMAGES", Json.createArrayBuilder().add(ItHelpers.image("generated CT under /ohif", first, true))
                        .build().toString()));
    }

    private static void assertAllUrlsUnder(String prefix, String body) {
        Matcher url = ABSOLUTE_URL.matcher(body);
        int count = 0;
        while (url.find()) {
            assertTrue(url.group(1).startsWith(prefix), url.group(1) + " should start with " + prefix);
            count++;
        }
        assertTrue(count > 0, "the answer has URLs to check: " + body);
        assertFalse(body.contains(":" + GatewayStack.orthanc().httpPort() + "/"));
    }
}
