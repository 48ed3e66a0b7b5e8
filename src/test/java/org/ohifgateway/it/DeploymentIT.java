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
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The gateway as a hospital runs it: its own Payara Micro started with the boot files and
 * environment the README documents (settings of the server, so not the shared gateway), serving
 * the hospital's certificate with HTTP/2, redirecting plain HTTP to HTTPS before any login,
 * behind a trusted reverse proxy, in front of the real Orthanc reached only over HTTPS (see
 * {@link TlsTunnel}) and checked against a trust store.
 *
 * <p>HTTP/2 is checked only with clients that cannot have learnt HTTP/1.1 while the server
 * booted. Once a TLS handshake to a host and port ends without ALPN choosing h2, the JDK 17
 * client remembers that for its whole life and sends everything there over HTTP/1.1; a
 * connection the server closes before the handshake completes counts ("ALPN not supported").
 * Payara closes such connections while it boots under load (seen with this class's 3 s
 * slow-client timeouts), so readiness is polled with a new client each time and each test gets a
 * new client whose first connection is h2.
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
    private PayaraMicro payara;
    private int httpPort;
    private int httpsPort;
    private SSLContext trustingGateway;
    private HttpClient client;
    private Map<String, String> environment;

    @BeforeAll
    void startGatewayWithHttps() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "tls");
        // Characters a shell or the boot file could mangle: the password must arrive as it is.
        gatewayCertificate = TestCertificate.create(dir, "gateway", "p@ss w0rd!$;`x'");
        orthancCertificate = TestCertificate.create(dir, "orthanc", "orthanc-store-secret");
        trustingGateway = gatewayCertificate.trustingClient();
        orthancTls = new TlsTunnel(orthancCertificate, GatewayStack.orthanc().httpPort());

        httpPort = PayaraMicro.freePort();
        httpsPort = PayaraMicro.freePort();
        environment = new HashMap<>();
        // As a hospital would configure it: a settings file (read only by its owner) with the
        // passwords in files of their own; the environment adds what differs per test run.
        Path keystorePassword = secretFile("keystore-password", gatewayCertificate.password());
        Path trustStorePassword = secretFile("orthanc-trust-store-password", orthancCertificate.password());
        Path settings = secretFile("gateway.properties", String.join("\n",
                "# the archive, over TLS",
                "orthanc.trust-store = " + orthancCertificate.trustStore(),
                "orthanc.trust-store-password-file = " + trustStorePassword,
                "gateway.https-enabled = true",
                "gateway.https-port = " + httpsPort,
                "gateway.keystore = " + gatewayCertificate.keystore(),
                "GATEWAY_KEYSTORE_PASSWORD_FILE = " + keystorePassword,
                "gateway.http = redirect",
                // The addresses clients use: directly, and through the trusted proxy below.
                "gateway.public-origins = https://127.0.0.1:" + httpsPort + ",https://pacs.hospital.example",
                // Short enough for the slow-client test to wait them out.
                "gateway.idle-timeout-seconds = 3",
                "gateway.body-timeout-millis = 3000", ""));
        environment.put("GATEWAY_SETTINGS", settings.toString());
        environment.put("ORTHANC_URL", orthancTls.url());
        // The test client stands in for a reverse proxy on this machine, which lets it speak for
        // other client addresses.
        environment.put("GATEWAY_TRUSTED_PROXIES", "127.0.0.1");
        environment.put("GATEWAY_LOGIN_MAX_FAILURES_PER_ADDRESS", "6");
        environment.put("GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString());
        payara = PayaraMicro.start(Path.of(System.getProperty("it.war")), "/", httpPort, environment,
                dir.resolve("payara.log"));
        // Plain HTTP only redirects: ready is the login challenge over HTTPS, asked with a new
        // client each time so no test inherits a client that learnt HTTP/1.1 during the boot.
        payara.awaitReady(() -> newClient().send(HttpRequest.newBuilder(URI.create(gateway() + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
    }

    @BeforeEach
    void http2Client() throws Exception {
        client = http2ClientAfterReadiness();
    }

    @AfterAll
    void stop() throws InterruptedException, IOException {
        if (payara != null) {
            payara.close();
        }
        if (orthancTls != null) {
            orthancTls.close();
        }
    }

    @Test
    void theGatewayOffersHttp2OverTlsByAlpn() throws Exception {
        assertEquals("h2", negotiatedProtocol(List.of("h2", "http/1.1")), "offered h2 and HTTP/1.1, the gateway picks h2");
        assertEquals("http/1.1", negotiatedProtocol(List.of("http/1.1")), "a client without HTTP/2 still gets HTTP/1.1");
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
    void malformedTargetsAndBodiesDoNotFloodTheServerLogWithStackTraces() throws Exception {
        List<String> requests = new ArrayList<>();
        for (String target : List.of("/%zz", "/pacs/%u002e%u002e/system", "/%u0041")) {
            requests.add("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + httpsPort + "\r\nConnection: close\r\n\r\n");
        }
        // No login needed: the server reads the body's framing before anything else.
        for (String target : List.of("/", "/pacs/studies")) {
            requests.add("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + httpsPort + "\r\nConnection: close\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        }
        for (String request : requests) {
            try (Socket socket = gatewayCertificate.trustingClient().getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(!answer.startsWith("HTTP/1.1 5"), answer);
            }
        }
        String log = Files.readString(dir.resolve("payara.log"), StandardCharsets.ISO_8859_1);
        assertTrue(log.contains("malformed percent-escape"), "one summary line instead");
        assertTrue(!log.contains("URLDecoder"), "no stack trace of the connector's URI decoder");
        assertTrue(log.contains("malformed chunked body"), "one summary line instead");
        assertTrue(!log.contains("HttpBrokenContentException"), "no stack trace of the chunk parser");
    }

    /** A generated series stored with STOW-RS over HTTP/2. */
    private List<byte[]> stored(String name) throws Exception {
        List<byte[]> slices = SyntheticStudies.ctSeries(name, 2, 64, 64);
        HttpResponse<byte[]> stored = ItHelpers.stored(client, gateway(), slices);
        assertEquals(HttpClient.Version.HTTP_2, stored.version());
        return slices;
    }

    @Test
    void aGatewayAloneRunsNoDataGrid() throws IOException {
        // Hazelcast names its threads hz.*; a running grid member also listens on every interface.
        List<String> threads = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(payara.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                threads.add(Files.readString(task.resolve("comm")).strip());
            }
        }
        assertTrue(threads.size() > 10, "the server's threads are seen: " + threads);
        assertEquals(List.of(), threads.stream().filter(name -> name.startsWith("hz.")).toList(),
                "Hazelcast threads in a gateway without gateway.cluster.members");
    }

    @Test
    void passwordsStayOutOfTheServerLogAndEveryCommandLine() throws Exception {
        List<String> passwords = List.of(gatewayCertificate.password(), orthancCertificate.password());
        String log = payara.logText();
        assertTrue(log.contains("Payara Micro") && log.contains("ready"), "the log is the server's");
        List<String> commandLines = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(process -> process.info().commandLine().ifPresent(commandLines::add));
        assertTrue(commandLines.stream().anyMatch(line -> line.contains("payara-micro.jar")), "Payara Micro is seen");
        String payaraCommand = commandLines.stream().filter(line -> line.contains("payara-micro.jar")
                && line.contains(dir.getParent().getParent().toString())).findFirst().orElseThrow();
        Matcher rootDir = Pattern.compile("--rootdir (\\S+)").matcher(payaraCommand);
        assertTrue(rootDir.find(), "Payara's runtime directory is chosen: " + payaraCommand);
        Path runtime = Path.of(rootDir.group(1));
        assertTrue(Files.isDirectory(runtime.resolve("config")), "Payara's configuration is in " + runtime);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.getParent())),
                "the runtime directory, whose domain.xml holds the keystore password, is its owner's only");
        for (String password : passwords) {
            assertTrue(!log.contains(password), "the server log holds a password");
            assertTrue(commandLines.stream().noneMatch(line -> line.contains(password)),
                    "a command line holds a password");
        }
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartWithOneLine() throws Exception {
        Map<String, String> wrong = new HashMap<>(environment);
        wrong.put("GATEWAY_KEYSTORE_PASSWORD_FILE", secretFile("wrong-password", "not the password").toString());
        wrong.put("GATEWAY_PORT", Integer.toString(PayaraMicro.freePort()));
        Process start = PayaraMicro.startCommand(wrong).redirectErrorStream(true).start();
        String output = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(start.waitFor(60, TimeUnit.SECONDS), "the start command ends by itself");
        assertEquals(2, start.exitValue(), output);
        assertEquals("ohif-gateway: gateway.keystore-password (GATEWAY_KEYSTORE_PASSWORD) does not open the keystore "
                + gatewayCertificate.keystore() + "\n", output);
    }

    private Path secretFile(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content + "\n");
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustingGateway)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A new client whose connection to the (ready) gateway is HTTP/2, so the test's requests
     * share that connection. Should its first handshake still be cut off (and the client fall
     * back for good), a handshake of our own tells whether the gateway offers h2: if it does not,
     * this fails; if it does, another new client is tried, at most three.
     */
    private HttpClient http2ClientAfterReadiness() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpClient fresh = newClient();
            try {
                HttpResponse<Void> challenge = fresh.send(HttpRequest.newBuilder(URI.create(gateway() + "/"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                if (challenge.version() == HttpClient.Version.HTTP_2) {
                    return fresh;
                }
                outcomes.add(challenge.version().toString());
            } catch (IOException broken) {
                outcomes.add(broken.toString());
            }
            assertEquals("h2", negotiatedProtocol(List.of("h2", "http/1.1")), "the gateway offers HTTP/2 by ALPN");
        }
        throw new AssertionError("the gateway offers h2 by ALPN, yet three new clients got no HTTP/2 connection: "
                + outcomes);
    }

    /**
     * The protocol the gateway chooses by ALPN in a TLS handshake of our own that offers these.
     * A handshake that breaks off (a server under load) is repeated; one that completes is the answer.
     */
    private String negotiatedProtocol(List<String> offered) throws Exception {
        IOException broken = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (SSLSocket socket = (SSLSocket) trustingGateway.getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
                socket.setSoTimeout(30_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(offered.toArray(String[]::new));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return socket.getApplicationProtocol();
            } catch (IOException e) {
                broken = e;
            }
        }
        throw broken;
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
}
