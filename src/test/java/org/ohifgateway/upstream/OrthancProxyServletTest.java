package org.ohifgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockMakers;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.RejectedRequest;
import org.ohifgateway.http.RequestId;
import org.ohifgateway.http.RouteNotes;

/**
 * The proxy servlet without a container: servlet requests and responses are test doubles, and a
 * JDK HTTP server stands in for Orthanc, recording what reaches it.
 */
class OrthancProxyServletTest {

    private static final String ROUTE = "/pacs";
    private static final String UPSTREAM_ROOT = "/dicom-web";
    private static final String REQUEST_ID = "test-1";
    private static final String PUBLIC_HOST = "pacs.example.org";
    private static final int PUBLIC_PORT = 8443;

    /** A DICOMweb-like route: everything is a search, except the "servers" it does not offer. */
    private static final class SearchPolicy implements RoutePolicy {

        private final boolean pinned;

        SearchPolicy(boolean pinned) {
            this.pinned = pinned;
        }

        @Override
        public boolean pinnedToAdminNode() {
            return pinned;
        }

        @Override
        public String upstreamPath() {
            return UPSTREAM_ROOT;
        }

        @Override
        public AccessKind unknownKind() {
            return AccessKind.DICOMWEB_REFUSED;
        }

        @Override
        public AccessKind classify(String method, CanonicalPath path) throws RejectedRequest {
            if (path.segments().contains("servers")) {
                throw new RejectedRequest(404, "The gateway does not offer this.");
            }
            return AccessKind.QIDO;
        }

        @Override
        public boolean headAsGet() {
            return true;
        }
    }

    /** A request as the stand-in Orthanc received it; header names are case-insensitive. */
    private record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

        List<String> header(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    /** What the stand-in Orthanc answers. */
    private interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    private HttpServer orthanc;
    private ExecutorService orthancThreads;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Answer answer = exchange -> reply(exchange, 200, Map.of(), new byte[0]);
    private final List<OrthancProxyServlet> servlets = new ArrayList<>();
    private final List<OrthancClient> clients = new ArrayList<>();

    @BeforeEach
    void startOrthanc() throws IOException {
        orthanc = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        orthancThreads = Executors.newCachedThreadPool();
        orthanc.setExecutor(orthancThreads);
        orthanc.createContext("/", exchange -> {
            try {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), headers));
                exchange.getRequestBody().readAllBytes();
                answer.send(exchange);
            } finally {
                exchange.close();
            }
        });
        orthanc.start();
    }

    @AfterEach
    void stopAll() {
        servlets.forEach(OrthancProxyServlet::destroy);
        clients.forEach(OrthancClient::stop);
        orthanc.stop(0);
        orthancThreads.shutdownNow();
    }

    @Test
    void userCredentialsCookiesForwardingClaimsAndHopByHopHeadersStayAtTheGateway() throws Exception {
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, userHeaders());

        CapturedResponse response = serve(servlet, request);

        assertEquals(200, response.status);
        Received upstream = onlyRequestUpstream();
        for (String name : List.of("Authorization", "Cookie", "X-Forwarded-For", "X-HTTP-Method-Override",
                "X-Secret-Hop", "X-Real-IP", "X-Forwarded-User", "X-Remote-User", "X-Orthanc-User", "X-Auth-Token",
                "X-Original-URL", "Via")) {
            assertEquals(List.of(), upstream.header(name), name + " reached Orthanc");
        }
        for (String connection : upstream.header("Connection")) {
            assertFalse(connection.toLowerCase(Locale.ROOT).contains("x-secret-hop"), connection);
        }
        assertEquals("GET", upstream.method());
        assertEquals(List.of("application/dicom+json"), upstream.header("Accept"));
        assertFalse(upstream.header("User-Agent").contains("OHIF"), "only the headers Orthanc needs are forwarded");
        // The origin is the one the request reached the gateway at, not what the client claimed.
        assertEquals(List.of("host=" + PUBLIC_HOST + ":" + PUBLIC_PORT + ";proto=https"), upstream.header("Forwarded"));
        assertEquals(List.of(PUBLIC_HOST + ":" + PUBLIC_PORT), upstream.header("X-Forwarded-Host"));
        assertEquals(List.of("https"), upstream.header("X-Forwarded-Proto"));
        assertEquals(List.of("127.0.0.1:" + orthanc.getAddress().getPort()), upstream.header("Host"));
    }

    @Test
    void theUserIsNamedToOrthancOnlyInTheConfiguredHeaderAndOnlyByTheGateway() throws Exception {
        HttpServletRequest anonymous = request("GET", ROUTE + "/studies", null, userHeaders());
        serve(servlet(Map.of()), anonymous);
        assertEquals(List.of(), onlyRequestUpstream().header("X-Gateway-User"), "off by default");
        received.clear();

        Map<String, List<String>> forged = userHeaders();
        forged.put("X-Gateway-User", List.of("admin"));
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, forged);
        when(request.getRemoteUser()).thenReturn("dr.\u00e9mile\r\nX-Evil: 1");
        serve(servlet(Map.of("gateway.upstream.user-header", "X-Gateway-User")), request);
        assertEquals(List.of("dr.%C3%A9mile%0D%0AX-Evil: 1"), onlyRequestUpstream().header("X-Gateway-User"),
                "the authenticated name, in one printable line, never the client's own value");
        assertEquals(List.of(), onlyRequestUpstream().header("X-Evil"));
    }

    @Test
    void aUserHeaderThatClientsMaySendIsRefusedAtStart() {
        GatewayConfig config = new GatewayConfig(key -> key.equals("gateway.upstream.user-header")
                ? Optional.of("Accept") : Optional.empty());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new OrthancClient(config));
        assertTrue(refused.getMessage().startsWith("gateway.upstream.user-header"), refused.getMessage());
    }

    @Test
    void orthancGetsTheGatewaysOwnCredentialsInsteadOfTheUsers() throws Exception {
        OrthancProxyServlet servlet = servlet(Map.of("orthanc.username", "gateway", "orthanc.password", "s3cret:pw"));
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, userHeaders());

        serve(servlet, request);

        String gatewayCredentials = "Basic " + Base64.getEncoder()
                .encodeToString("gateway:s3cret:pw".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(gatewayCredentials), onlyRequestUpstream().header("Authorization"));
    }

    @Test
    void headIsAskedAsGetAndAnsweredWithoutBody() throws Exception {
        byte[] study = randomBytes(100_000);
        answer = exchange -> reply(exchange, 200,
                Map.of("Content-Type", "application/dicom+json", "ETag", "\"v1\""), study);
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("HEAD", ROUTE + "/studies/1.2.3/metadata", null,
                headers("Accept", "application/dicom+json"));

        CapturedResponse response = serve(servlet, request);

        assertEquals("GET", onlyRequestUpstream().method());
        assertEquals(200, response.status);
        assertEquals("application/dicom+json", response.getContentType());
        assertEquals("\"v1\"", response.getHeader("ETag"));
        assertEquals(Integer.toString(study.length), response.getHeader("Content-Length"));
        assertEquals(0, response.body.size(), "HEAD answered with body bytes");
        assertEquals(0, RouteNotes.sentBytes(request));
    }

    @Test
    void headDropsOrthancsBodyInsteadOfReadingIt() throws Exception {
        long whole = 256L << 20;
        java.util.concurrent.CompletableFuture<Long> written = new java.util.concurrent.CompletableFuture<>();
        answer = exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, whole);
            byte[] block = new byte[64 * 1024];
            long sent = 0;
            try (var out = exchange.getResponseBody()) {
                while (sent < whole) {
                    out.write(block);
                    sent += block.length;
                }
            } catch (IOException dropped) {
                // the gateway hung up: what it never read was never sent
            } finally {
                written.complete(sent);
            }
        };
        OrthancProxyServlet servlet = servlet(Map.of());
        CapturedResponse response = serve(servlet, request("HEAD", ROUTE + "/studies/1.2.3", null, headers()));

        assertEquals(200, response.status);
        assertEquals(0, response.body.size());
        long sent = written.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(sent < whole, "Orthanc had to send the whole body (" + sent + " bytes) for a HEAD");
    }

    @Test
    void aRefusedHeadGetsNoBody() throws Exception {
        OrthancProxyServlet servlet = servlet(Map.of());
        CapturedResponse response = serve(servlet, request("HEAD", ROUTE + "/servers/peer", null,
                headers("Accept", "application/dicom+json")));

        assertEquals(404, response.status);
        assertEquals(0, response.body.size(), response.text());
    }

    @Test
    void aRefusedRequestGetsAnErrorReplyAndNeverReachesOrthanc() throws Exception {
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/servers/peer", null,
                headers("Accept", "application/dicom+json"));

        CapturedResponse response = serve(servlet, request);

        assertEquals(404, response.status);
        assertTrue(response.getContentType().startsWith("application/json"), response.getContentType());
        String body = response.text();
        assertTrue(body.contains("\"status\":404"), body);
        assertTrue(body.contains("\"requestId\":\"" + REQUEST_ID + "\""), body);
        assertEquals("no-store", response.getHeader("Cache-Control"));
        assertEquals(List.of(), received, "a refused request reached Orthanc");
        assertEquals(Optional.of(AccessKind.DICOMWEB_REFUSED), RouteNotes.access(request));
    }

    @Test
    void aPathThatCouldClimbOutOfTheRouteIsRefusedBeforeOrthanc() throws Exception {
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/studies/%2e%2e/%2e%2e/tools/reset", null,
                headers("Accept", "application/json"));

        CapturedResponse response = serve(servlet, request);

        assertEquals(400, response.status);
        assertEquals(List.of(), received, "a dot-segment path reached Orthanc");
    }

    @Test
    void orthancDownIs502WithoutInternalDetails() throws Exception {
        int closedPort = closedPort();
        OrthancProxyServlet servlet = servlet(Map.of("orthanc.url", "http://127.0.0.1:" + closedPort));
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, headers());

        CapturedResponse response = serve(servlet, request);

        assertEquals(502, response.status);
        String body = response.text();
        assertTrue(body.contains(REQUEST_ID), body);
        assertTrue(body.length() < 200, body);
        for (String internal : List.of("127.0.0.1", Integer.toString(closedPort), "Exception", "refused",
                "\tat ", "org.apache", "java.")) {
            assertFalse(body.contains(internal), "the answer tells " + internal + ": " + body);
        }
        assertEquals(1, failures(servlet).get(UpstreamFailure.Kind.UNREACHABLE), "counted for the metrics");
    }

    @Test
    void aReadGoesToAnotherNodeWhenItsNodeRefusesTheConnectionAndThatNodeIsTakenOut() throws Exception {
        String down = "http://127.0.0.1:" + closedPort();
        String up = "http://127.0.0.1:" + orthanc.getAddress().getPort();
        OrthancProxyServlet servlet = servlet(Map.of("orthanc.url", down + "," + up));

        for (int i = 0; i < 3; i++) {
            assertEquals(200, serve(servlet, request("GET", ROUTE + "/studies", null, headers())).status);
        }

        assertEquals(3, received.size(), "each read reached the node that answers once");
        OrthancClient client = clients.get(servlets.indexOf(servlet));
        assertFalse(client.nodes().states().get(0).up(), "the refusing node is out");
        assertEquals(List.of(URI.create(up), URI.create(up)), List.of(client.nodes().next(), client.nodes().next()));
    }

    @Test
    void theAdminRouteStaysOnItsNodeWhenThatNodeIsDown() throws Exception {
        String down = "http://127.0.0.1:" + closedPort();
        String up = "http://127.0.0.1:" + orthanc.getAddress().getPort();
        OrthancProxyServlet servlet = servlet(Map.of("orthanc.url", up + "," + down, "orthanc.admin-url", down),
                new SearchPolicy(true));

        CapturedResponse response = serve(servlet, request("GET", ROUTE + "/studies", null, headers()));

        assertEquals(502, response.status);
        assertEquals(List.of(), received, "the admin request went to another node");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void orthancRefusingTheGatewaysCredentialsIs502WithoutALoginPrompt() throws Exception {
        answer = exchange -> reply(exchange, 401, Map.of("WWW-Authenticate", "Basic realm=\"Orthanc Secure Area\""),
                "Unauthorized".getBytes(StandardCharsets.UTF_8));
        OrthancProxyServlet servlet = servlet(Map.of("orthanc.username", "gateway", "orthanc.password", "wrong"));
        HttpServletRequest request = request("GET", ROUTE + "/studies", null,
                headers("Accept", "application/dicom+json"));

        CapturedResponse response = serve(servlet, request);

        assertEquals(502, response.status);
        assertNull(response.getHeader("WWW-Authenticate"));
        String body = response.text();
        assertTrue(body.contains(REQUEST_ID), body);
        assertFalse(body.contains("Orthanc Secure Area"), body);
        assertEquals(1, failures(servlet).get(UpstreamFailure.Kind.CREDENTIALS_REFUSED), "counted for the metrics");
    }

    @Test
    void aShortAnswerOrthancBreaksOffBeforeAnythingWasSentIs502() throws Exception {
        answer = exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().add("ETag", "\"frame-1\"");
            exchange.getResponseHeaders().add("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT");
            exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=frame.raw");
            exchange.sendResponseHeaders(200, 128 * 1024);
            exchange.getResponseBody().write(new byte[1000]);
            exchange.getResponseBody().flush();
        };
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, headers());
        CapturedResponse response = new CapturedResponse();
        // What the filters put on every answer before the route runs.
        response.setHeader("X-Request-Id", "req-1");
        response.setHeader("X-Content-Type-Options", "nosniff");

        servlet.service((ServletRequest) request, (ServletResponse) response);

        assertEquals(502, response.status);
        assertEquals(1, failures(servlet).get(UpstreamFailure.Kind.CONNECTION_FAILED));
        // Orthanc's headers describe a body the client does not get.
        for (String name : List.of("ETag", "Last-Modified", "Content-Disposition")) {
            assertFalse(response.headers.containsKey(name), name + " of the broken-off answer: " + response.headers);
        }
        assertEquals(List.of("req-1"), response.headers.get("X-Request-Id"));
        assertEquals(List.of("nosniff"), response.headers.get("X-Content-Type-Options"));
        assertEquals(List.of("no-store"), response.headers.get("Cache-Control"));
        assertTrue(response.getContentType().startsWith("text/plain"), response.getContentType());
        assertTrue(response.text().startsWith("502 "), response.text());
    }

    /**
     * A frame is held whole in the container's buffer before it goes out, so one Orthanc breaks
     * off after most of it still ends in a clean 502, not in an answer cut short.
     */
    @Test
    void aShortAnswerIsHeldUntilItIsWholeSoABreakLateInItIsStillA502() throws Exception {
        answer = exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 128 * 1024);
            exchange.getResponseBody().write(new byte[120 * 1024]);
            exchange.getResponseBody().flush();
        };
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, headers());
        CapturedResponse response = serve(servlet, request);

        assertEquals(502, response.status);
        assertTrue(response.text().startsWith("502 "), response.text());
        assertTrue(response.getBufferSize() > 128 * 1024, "buffer " + response.getBufferSize());
        assertEquals(0, RouteNotes.sentBytes(request), "the audit line counts none of the frame as sent");
    }

    @Test
    void anAnswerOrthancBreaksOffIsCountedAsTheArchivesFailure() throws Exception {
        answer = exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            // Longer than a frame: streamed, so the first bytes are on their way before the break.
            exchange.sendResponseHeaders(200, 4 << 20);
            // Closing the exchange short of the announced length closes the connection.
            exchange.getResponseBody().write(new byte[1000]);
            exchange.getResponseBody().flush();
        };
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/studies", null, headers());

        // Outside Grizzly the connection cannot be cut here, so the failure goes on to the container.
        assertThrows(UpstreamFailure.class, () -> serve(servlet, request));

        assertEquals(1, failures(servlet).get(UpstreamFailure.Kind.CONNECTION_FAILED));
        assertEquals(1, failures(servlet).values().stream().mapToLong(Long::longValue).sum(), "one failure only");
    }

    @Test
    void orthancGetsTheCheckedReEncodedPathUnderItsRootAndTheQuery() throws Exception {
        OrthancProxyServlet servlet = servlet(Map.of());
        String query = "PatientName=DOE%5EJOHN&limit=25&includefield=00100010";
        HttpServletRequest request = request("GET", ROUTE + "/studies/1.2.3/series/4%2E5", query,
                headers("Accept", "application/dicom+json"));

        CapturedResponse response = serve(servlet, request);

        assertEquals(200, response.status);
        Received upstream = onlyRequestUpstream();
        assertEquals(UPSTREAM_ROOT + "/studies/1.2.3/series/4.5", upstream.rawPath());
        assertEquals(query, upstream.rawQuery());
        assertEquals(Optional.of(AccessKind.QIDO), RouteNotes.access(request));
    }

    @Test
    void orthancsBannerCookiesAndChallengeStayAtTheGatewayAndTheBodyArrivesWhole() throws Exception {
        byte[] instance = randomBytes(300_000);
        Map<String, String> orthancHeaders = new LinkedHashMap<>();
        orthancHeaders.put("Content-Type", "application/dicom");
        orthancHeaders.put("Server", "ORTHANC");
        orthancHeaders.put("Set-Cookie", "orthanc-session=abc; Path=/");
        orthancHeaders.put("WWW-Authenticate", "Basic realm=\"Orthanc Secure Area\"");
        orthancHeaders.put("ETag", "\"e1\"");
        answer = exchange -> reply(exchange, 200, orthancHeaders, instance);
        OrthancProxyServlet servlet = servlet(Map.of());
        HttpServletRequest request = request("GET", ROUTE + "/studies/1.2.3/series/4.5/instances/6.7", null,
                headers("Accept", "application/dicom"));

        CapturedResponse response = serve(servlet, request);

        assertEquals(200, response.status);
        for (String name : List.of("Server", "Set-Cookie", "WWW-Authenticate")) {
            assertNull(response.getHeader(name), name + " reached the client");
        }
        assertEquals("\"e1\"", response.getHeader("ETag"));
        assertEquals("private, no-cache", response.getHeader("Cache-Control"));
        assertEquals("application/dicom", response.getContentType());
        assertArrayEquals(instance, response.body.toByteArray());
        assertEquals(instance.length, RouteNotes.sentBytes(request));
    }

    @Test
    void orthancsOwnCacheControlIsKept() throws Exception {
        answer = exchange -> reply(exchange, 200, Map.of("Cache-Control", "no-store"),
                "{}".getBytes(StandardCharsets.UTF_8));
        OrthancProxyServlet servlet = servlet(Map.of());

        CapturedResponse response = serve(servlet, request("GET", ROUTE + "/studies", null, headers()));

        assertEquals(List.of("no-store"), response.headers.get("Cache-Control"));
    }

    // ---------------------------------------------------------------- helpers

    private OrthancProxyServlet servlet(Map<String, String> settings) throws Exception {
        return servlet(settings, new SearchPolicy(false));
    }

    private OrthancProxyServlet servlet(Map<String, String> settings, RoutePolicy policy) throws Exception {
        Map<String, String> values = new HashMap<>(settings);
        values.putIfAbsent("orthanc.url", "http://127.0.0.1:" + orthanc.getAddress().getPort());
        // A hung test fails instead of waiting two minutes.
        values.putIfAbsent("gateway.upstream.read-timeout-ms", "10000");
        GatewayConfig config = new GatewayConfig(key -> Optional.ofNullable(values.get(key)));
        OrthancClient client = new OrthancClient(config);
        clients.add(client);
        OrthancProxyServlet servlet = new OrthancProxyServlet(config, client, policy);
        ServletContext context = stub(ServletContext.class);
        when(context.getContextPath()).thenReturn("");
        ServletConfig servletConfig = stub(ServletConfig.class);
        when(servletConfig.getServletName()).thenReturn("DicomWeb");
        when(servletConfig.getServletContext()).thenReturn(context);
        when(servletConfig.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        servlet.init(servletConfig);
        servlets.add(servlet);
        return servlet;
    }

    /** The archive's failures the servlet counted on its pool. */
    private Map<UpstreamFailure.Kind, Long> failures(OrthancProxyServlet servlet) {
        return clients.get(servlets.indexOf(servlet)).failures().get("DicomWeb");
    }

    private static CapturedResponse serve(OrthancProxyServlet servlet, HttpServletRequest request) throws Exception {
        CapturedResponse response = new CapturedResponse();
        servlet.service((ServletRequest) request, (ServletResponse) response);
        return response;
    }

    private Received onlyRequestUpstream() {
        assertEquals(1, received.size(), "requests to Orthanc: " + received);
        return received.get(0);
    }

    /** What a browser behind a meddling client might send: credentials, cookies, claims, hop-by-hop headers. */
    private static Map<String, List<String>> userHeaders() {
        return headers(
                "Accept", "application/dicom+json",
                "User-Agent", "OHIF",
                "Host", PUBLIC_HOST + ":" + PUBLIC_PORT,
                "Authorization", "Basic " + Base64.getEncoder().encodeToString("doctor:pw".getBytes(StandardCharsets.UTF_8)),
                "Cookie", "JSESSIONID=abc123",
                "X-Forwarded-For", "203.0.113.66",
                "X-Real-IP", "203.0.113.66",
                "Forwarded", "for=203.0.113.66;host=evil.example;proto=http",
                "X-Forwarded-Host", "evil.example",
                "X-Forwarded-Proto", "http",
                "Connection", "keep-alive, X-Secret-Hop",
                "X-Secret-Hop", "1",
                "X-HTTP-Method-Override", "DELETE",
                "X-Forwarded-User", "admin",
                "X-Remote-User", "admin",
                "X-Orthanc-User", "admin",
                "X-Auth-Token", "forged",
                "X-Original-URL", "/tools/reset",
                "Via", "1.1 evil.example");
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.computeIfAbsent(namesAndValues[i], name -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return headers;
    }

    /** A request as the container hands it to the servlet mapped at {@value #ROUTE}, reached over HTTPS. */
    private static HttpServletRequest request(String method, String uri, String query,
                                              Map<String, List<String>> headers) {
        HttpServletRequest request = stub(HttpServletRequest.class);
        Map<String, Object> attributes = new HashMap<>();
        when(request.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(request).setAttribute(anyString(), any());
        doAnswer(call -> attributes.remove(call.<String>getArgument(0))).when(request).removeAttribute(anyString());
        when(request.getAttributeNames()).thenAnswer(call -> Collections.enumeration(new ArrayList<>(attributes.keySet())));
        when(request.getMethod()).thenReturn(method);
        when(request.getRequestURI()).thenReturn(uri);
        when(request.getContextPath()).thenReturn("");
        when(request.getServletPath()).thenReturn(ROUTE);
        when(request.getPathInfo()).thenReturn(uri.length() > ROUTE.length() ? uri.substring(ROUTE.length()) : null);
        when(request.getQueryString()).thenReturn(query);
        when(request.getProtocol()).thenReturn("HTTP/1.1");
        when(request.getScheme()).thenReturn("https");
        when(request.isSecure()).thenReturn(true);
        when(request.getServerName()).thenReturn(PUBLIC_HOST);
        when(request.getServerPort()).thenReturn(PUBLIC_PORT);
        when(request.getRemoteAddr()).thenReturn("10.0.0.7");
        when(request.getContentLength()).thenReturn(-1);
        when(request.getContentLengthLong()).thenReturn(-1L);
        when(request.getHeader(anyString())).thenAnswer(call -> {
            List<String> values = headers.get(call.<String>getArgument(0));
            return values == null ? null : values.get(0);
        });
        when(request.getHeaders(anyString())).thenAnswer(call ->
                Collections.enumeration(headers.getOrDefault(call.<String>getArgument(0), List.of())));
        when(request.getHeaderNames()).thenAnswer(call -> Collections.enumeration(new ArrayList<>(headers.keySet())));
        RequestId.set(request, REQUEST_ID);
        return request;
    }

    /** A Mockito stand-in for a servlet interface; the subclass mock maker starts faster than the inline one. */
    private static <T> T stub(Class<T> type) {
        return mock(type, withSettings().mockMaker(MockMakers.SUBCLASS));
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new Random(count).nextBytes(bytes);
        return bytes;
    }

    /**
     * A response as a container keeps it: a buffer that commits the answer once full or flushed,
     * after which the status and headers no longer change.
     */
    private static final class CapturedResponse implements HttpServletResponse {

        int status = 200;
        final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String contentType;
        private String characterEncoding;
        private int bufferSize = 8192;
        private int buffered;
        private boolean committed;

        private final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
                buffered++;
                if (buffered > bufferSize) {
                    committed = true;
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                body.write(bytes, offset, length);
                buffered += length;
                if (buffered > bufferSize) {
                    committed = true;
                }
            }

            @Override
            public void flush() {
                committed = true;
            }

            @Override
            public void close() {
                committed = true;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void setStatus(int status) {
            if (!committed) {
                this.status = status;
            }
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setHeader(String name, String value) {
            if (committed) {
                return;
            }
            if (name.equalsIgnoreCase("Content-Type")) {
                setContentType(value);
                return;
            }
            List<String> values = new ArrayList<>();
            values.add(value);
            headers.put(name, values);
        }

        @Override
        public void addHeader(String name, String value) {
            if (committed) {
                return;
            }
            if (name.equalsIgnoreCase("Content-Type")) {
                setContentType(value);
                return;
            }
            headers.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }

        @Override
        public void setIntHeader(String name, int value) {
            setHeader(name, Integer.toString(value));
        }

        @Override
        public void addIntHeader(String name, int value) {
            addHeader(name, Integer.toString(value));
        }

        @Override
        public void setDateHeader(String name, long date) {
            setHeader(name, Long.toString(date));
        }

        @Override
        public void addDateHeader(String name, long date) {
            addHeader(name, Long.toString(date));
        }

        @Override
        public boolean containsHeader(String name) {
            return headers.containsKey(name);
        }

        @Override
        public String getHeader(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return List.copyOf(headers.getOrDefault(name, List.of()));
        }

        @Override
        public Collection<String> getHeaderNames() {
            return List.copyOf(headers.keySet());
        }

        @Override
        public void setContentType(String type) {
            if (committed) {
                return;
            }
            contentType = type;
            if (type == null) {
                headers.remove("Content-Type");
            } else {
                headers.put("Content-Type", new ArrayList<>(List.of(type)));
            }
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public void setCharacterEncoding(String charset) {
            if (!committed) {
                characterEncoding = charset;
            }
        }

        @Override
        public String getCharacterEncoding() {
            return characterEncoding == null ? "ISO-8859-1" : characterEncoding;
        }

        @Override
        public void setContentLength(int length) {
            setHeader("Content-Length", Integer.toString(length));
        }

        @Override
        public void setContentLengthLong(long length) {
            setHeader("Content-Length", Long.toString(length));
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }

        @Override
        public PrintWriter getWriter() {
            throw new UnsupportedOperationException("the proxy writes bytes");
        }

        @Override
        public void setBufferSize(int size) {
            bufferSize = size;
        }

        @Override
        public int getBufferSize() {
            return bufferSize;
        }

        @Override
        public void flushBuffer() {
            committed = true;
        }

        @Override
        public void resetBuffer() {
            if (committed) {
                throw new IllegalStateException("committed");
            }
            body.reset();
            buffered = 0;
        }

        @Override
        public void reset() {
            resetBuffer();
            status = 200;
            headers.clear();
            contentType = null;
            characterEncoding = null;
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        @Override
        public void setLocale(Locale locale) {
        }

        @Override
        public Locale getLocale() {
            return Locale.getDefault();
        }

        @Override
        public void addCookie(Cookie cookie) {
            addHeader("Set-Cookie", cookie.getName() + "=" + cookie.getValue());
        }

        @Override
        public String encodeURL(String url) {
            return url;
        }

        @Override
        public String encodeRedirectURL(String url) {
            return url;
        }

        @Override
        public void sendError(int status, String message) {
            sendError(status);
        }

        @Override
        public void sendError(int status) {
            if (committed) {
                throw new IllegalStateException("committed");
            }
            this.status = status;
            committed = true;
        }

        @Override
        public void sendRedirect(String location) {
            if (committed) {
                throw new IllegalStateException("committed");
            }
            status = 302;
            setHeader("Location", location);
            committed = true;
        }
    }
}
