package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The gateway as a hospital runs it: Payara Micro started with the boot files and environment
 * the README documents (not through Arquillian: these are settings of the server, not of the
 * deployment), serving the hospital's certificate with HTTP/2, redirecting plain HTTP to HTTPS
 * before any login, behind a trusted reverse proxy, in front of the real Orthanc reached only
 * over HTTPS (see {@link TlsTunnel}) and checked against a trust store.
 */
@ExtendWith(GatewayStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentIT {

    private static final String DICOM_JSON = "application/dicom+json";
    private static final String FRAME_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    private Path dir;
    private TestCertificate gatewayCertificate;
    private TestCertificate orthancCertificate;
    private TlsTunnel orthancTls;
    private Process payara;
    private int httpPort;
    private int httpsPort;
    private HttpClient client;

    @BeforeAll
    void startGatewayWithHttps() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "tls");
        // Characters a shell or the boot file could mangle: the password must arrive as it is.
        gatewayCertificate = TestCertificate.create(dir, "gateway", "p@ss w0rd!$;`x'");
        orthancCertificate = TestCertificate.create(dir, "orthanc", "orthanc-store-secret");
        orthancTls = new TlsTunnel(orthancCertificate, GatewayStack.orthanc().httpPort());

        httpPort = freePort();
        httpsPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", System.getProperty("payara.microJar"), "--nohazelcast",
                "--deploy", System.getProperty("it.war"), "--contextroot", "/", "--port", Integer.toString(httpPort),
                "--prebootcommandfile", "deploy/payara/pre-boot.asadmin",
                "--postbootcommandfile", "deploy/payara/post-boot.asadmin")
                .redirectErrorStream(true).redirectOutput(dir.resolve("payara.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("ORTHANC_URL", orthancTls.url());
        environment.put("ORTHANC_TRUST_STORE", orthancCertificate.trustStore().toString());
        environment.put("ORTHANC_TRUST_STORE_PASSWORD", orthancCertificate.password());
        environment.put("GATEWAY_HTTPS_ENABLED", "true");
        environment.put("GATEWAY_HTTPS_PORT", Integer.toString(httpsPort));
        environment.put("GATEWAY_KEYSTORE", gatewayCertificate.keystore().toString());
        environment.put("GATEWAY_KEYSTORE_PASSWORD", gatewayCertificate.password());
        environment.put("GATEWAY_HTTP", "redirect");
        // Short enough for the slow-client test to wait them out.
        environment.put("GATEWAY_IDLE_TIMEOUT_SECONDS", "3");
        environment.put("GATEWAY_BODY_TIMEOUT_MILLIS", "3000");
        // The test client stands in for a reverse proxy on this machine, which lets it speak for
        // other client addresses.
        environment.put("GATEWAY_TRUSTED_PROXIES", "127.0.0.1");
        environment.put("GATEWAY_LOGIN_MAX_FAILURES_PER_ADDRESS", "6");
        environment.put("GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString());
        payara = builder.start();

        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(gatewayCertificate.trustingClient())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        awaitLoginChallenge();
    }

    @AfterAll
    void stop() throws InterruptedException, IOException {
        if (payara != null) {
            payara.destroy();
            if (!payara.waitFor(20, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor();
            }
        }
        if (orthancTls != null) {
            orthancTls.close();
        }
    }

    @Test
    void plainHttpIsRedirectedToHttpsBeforeAnyLoginIsAskedFor() throws Exception {
        for (String method : List.of("GET", "POST")) {
            for (String target : List.of("/", "/pacs/studies?PatientName=DOE*", "/pacs-admin/app/explorer.html")) {
                RawHttp.Reply reply = RawHttp.send(httpPort, method, target,
                        Map.of("Authorization", authorization(VIEWER)), null);
                assertEquals(302, reply.status(), method + " " + target);
                assertEquals("https://127.0.0.1:" + httpsPort + target, reply.headers().get("location"));
                assertTrue(!reply.headers().containsKey("www-authenticate"), "no login over plain HTTP");
            }
        }
    }

    @Test
    void http2OverTlsCarriesTheDicomWebRoundTripWithTheGatewaysHttpsUrls() throws Exception {
        List<byte[]> slices = stored("deployment-it-h2");
        String study = ItHelpers.uidOf(slices.get(0), "0020000D");
        HttpResponse<byte[]> qido = send(request("/pacs/studies?StudyInstanceUID=" + study, VIEWER).header("Accept", DICOM_JSON));
        assertEquals(200, qido.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, qido.version());
        assertTrue(Http.text(qido).contains("\"" + gateway() + "/pacs/studies/" + study + "\""),
                "Orthanc's RetrieveURL is the gateway's https URL: " + Http.text(qido));

        String frame = "/pacs/studies/" + study + "/series/" + ItHelpers.uidOf(slices.get(0), "0020000E")
                + "/instances/" + ItHelpers.uidOf(slices.get(0), "00080018") + "/frames/1";
        HttpResponse<byte[]> proxied = send(request(frame, VIEWER).header("Accept", FRAME_ACCEPT));
        HttpResponse<byte[]> direct = HttpClient.newBuilder().sslContext(orthancCertificate.trustingClient()).build().send(
                HttpRequest.newBuilder(URI.create(orthancTls.url() + frame)).header("Accept", FRAME_ACCEPT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, proxied.statusCode());
        assertArrayEquals(Multipart.parts(direct.headers().firstValue("Content-Type").orElseThrow(), direct.body()).get(0),
                Multipart.parts(proxied.headers().firstValue("Content-Type").orElseThrow(), proxied.body()).get(0));
    }

    @Test
    void everyKindOfAnswerOverHttpsCarriesStrictTransportSecurity() throws Exception {
        Map<String, HttpResponse<byte[]>> answers = Map.of(
                "viewer page", send(request("/", VIEWER)),
                "proxied", send(request("/pacs/studies", VIEWER).header("Accept", DICOM_JSON)),
                "refused route", send(request("/pacs/servers", VIEWER)),
                "login challenge", send(HttpRequest.newBuilder(URI.create(gateway() + "/pacs/studies"))));
        assertEquals(401, answers.get("login challenge").statusCode());
        assertEquals(404, answers.get("refused route").statusCode());
        answers.forEach((kind, answer) -> assertTrue(
                answer.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="), kind));
    }

    @Test
    void theArchiveIsReachedOverTlsAndOnlyWithTheConfiguredTrust() throws Exception {
        HttpResponse<byte[]> health = send(request("/health/ready", ADMIN).header("Accept", "application/json"));
        assertEquals(200, health.statusCode(), Http.text(health));
        assertTrue(Http.text(health).contains("HTTP 200"), Http.text(health));
        // The archive's certificate is not one the JVM trusts: a client without the trust store is refused.
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(orthancTls.url() + "/system")).build(),
                    HttpResponse.BodyHandlers.discarding());
            fail("Orthanc's certificate is not one the JVM trusts by default");
        } catch (SSLHandshakeException expected) {
            // the gateway got through only thanks to orthanc.trust-store
        }
    }

    @Test
    void behindATrustedProxyTheClientAndThePublicUrlAreTheOnesItReports() throws Exception {
        String study = ItHelpers.uidOf(stored("deployment-it-proxy").get(0), "0020000D");
        HttpResponse<byte[]> qido = send(request("/pacs/studies?StudyInstanceUID=" + study, VIEWER).header("Accept", DICOM_JSON)
                .header("X-Forwarded-For", "198.51.100.1, 203.0.113.7")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "pacs.hospital.example"));
        assertEquals(200, qido.statusCode(), Http.text(qido));
        assertTrue(Http.text(qido).contains("\"https://pacs.hospital.example/pacs/studies/" + study + "\""),
                "Orthanc writes the proxy's public URL: " + Http.text(qido));
        String requestId = qido.headers().firstValue("X-Request-Id").orElseThrow();
        String line = ItHelpers.awaitAuditLine(dir.resolve("audit.0.log"), requestId, Duration.ofSeconds(10));
        assertTrue(line.contains("\"client\":\"203.0.113.7\""),
                "the address the proxy saw, not the one the client claimed, nor the proxy's: " + line);
    }

    @Test
    void anAddressThatGuessesManyNamesIsRefusedWithoutLockingOutOthers() throws Exception {
        String guesser = "203.0.113.50";
        for (int i = 0; i < 6; i++) {
            HttpResponse<byte[]> guess = send(HttpRequest.newBuilder(URI.create(gateway() + "/pacs/studies"))
                    .header("Authorization", Http.basic("guess-" + i, "wrong-password"))
                    .header("X-Forwarded-For", guesser).header("X-Forwarded-Proto", "https")
                    .header("X-Forwarded-Host", "pacs.hospital.example"));
            assertTrue(guess.statusCode() == 401 || guess.statusCode() == 429, "guess " + i + ": " + guess.statusCode());
        }
        // Even the right password of a real user is refused from that address, and says for how long.
        HttpResponse<byte[]> refused = send(request("/pacs/studies", VIEWER).header("X-Forwarded-For", guesser)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "pacs.hospital.example"));
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        HttpResponse<byte[]> elsewhere = send(request("/pacs/studies", VIEWER).header("X-Forwarded-For", "203.0.113.51")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "pacs.hospital.example"));
        assertEquals(200, elsewhere.statusCode(), "the same user from another address is not affected");
    }

    @Test
    void slowClientsAreCutOffAfterTheConfiguredTimeouts() throws Exception {
        Map<String, String> stalls = Map.of(
                "headers never finished", "GET /pacs/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + authorization(VIEWER) + "\r\nX-Slow: ",
                "body never finished", "POST /pacs/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + authorization(UPLOADER) + "\r\nOrigin: " + gateway() + "\r\nContent-Type: "
                        + Multipart.STOW_CONTENT_TYPE + "\r\nContent-Length: 100000\r\n\r\n--" + Multipart.STOW_BOUNDARY);
        for (Map.Entry<String, String> stall : stalls.entrySet()) {
            try (Socket socket = gatewayCertificate.trustingClient().getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
                socket.setSoTimeout(30_000);
                long started = System.nanoTime();
                socket.getOutputStream().write(stall.getValue().getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                try {
                    socket.getInputStream().readAllBytes();
                } catch (IOException reset) {
                    // a reset ends the connection as well
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertTrue(seconds < 15, stall.getKey() + ": the connection stayed open " + seconds + " s");
            }
        }
    }

    @Test
    void malformedTargetsDoNotFloodTheServerLogWithStackTraces() throws Exception {
        for (String target : List.of("/%zz", "/pacs/%u002e%u002e/system", "/%u0041")) {
            try (Socket socket = gatewayCertificate.trustingClient().getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + httpsPort
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(!answer.startsWith("HTTP/1.1 5"), answer);
            }
        }
        String log = Files.readString(dir.resolve("payara.log"), StandardCharsets.ISO_8859_1);
        assertTrue(log.contains("malformed percent-escape"), "one summary line instead");
        assertTrue(!log.contains("URLDecoder"), "no stack trace of the connector's URI decoder");
    }

    /** A generated series stored with STOW-RS over HTTP/2. */
    private List<byte[]> stored(String name) throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries(name, 2, 64, 64);
        HttpResponse<byte[]> stored = ItHelpers.stored(client, gateway(), slices);
        assertEquals(HttpClient.Version.HTTP_2, stored.version());
        return slices;
    }

    private String gateway() {
        return "https://127.0.0.1:" + httpsPort;
    }

    private HttpRequest.Builder request(String path, String user) {
        return HttpRequest.newBuilder(URI.create(gateway() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization(user));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void awaitLoginChallenge() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!payara.isAlive()) {
                fail("Payara Micro exited; see " + dir.resolve("payara.log"));
            }
            try {
                if (send(HttpRequest.newBuilder(URI.create(gateway() + "/")).timeout(Duration.ofSeconds(5))).statusCode() == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        fail("the gateway did not answer over HTTPS within 180 s; see " + dir.resolve("payara.log")
                + "\n" + new String(Files.readAllBytes(dir.resolve("payara.log")), StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
