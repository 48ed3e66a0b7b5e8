package org.ohifgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.pool.PoolStats;
import org.apache.http.ssl.SSLContexts;
import org.apache.http.util.EntityUtils;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.config.TrustStore;
import org.ohifgateway.http.PercentEncoding;
import org.ohifgateway.http.PublicOrigin;

/**
 * The one way to Orthanc: its URL, the gateway's own credentials, TLS checked against the
 * configured trust store (or the JVM's), the forwarding headers that make Orthanc write the
 * gateway's URLs, and the connection pools of the proxy routes and of the gateway's own reads
 * (the cache's) with their failures, listed for the health check and the metrics.
 */
@ApplicationScoped
public class OrthancClient {

    /** Enough of an answer for the checks; they never need a study. */
    private static final int MAX_CHECK_BODY = 1 << 20;
    /** The pool of the gateway's own reads, as the health check names it. */
    static final String READS = "Cache";

    @Inject
    GatewayConfig config;

    private final Map<String, PoolingHttpClientConnectionManager> pools = new ConcurrentHashMap<>();
    private final Map<String, Map<UpstreamFailure.Kind, LongAdder>> failures = new ConcurrentHashMap<>();
    private OrthancNodes nodes;
    private OrthancNodes adminNode;
    private SSLContext tls;
    private Optional<String> authorization;
    private Optional<String> userHeader;
    private CloseableHttpClient checks;
    private CloseableHttpClient reads;

    OrthancClient() {
    }

    /** Started with the given settings, as a test without a container makes it; {@link #stop} ends it. */
    OrthancClient(GatewayConfig config) {
        this.config = config;
        start();
    }

    @PostConstruct
    void start() {
        nodes = new OrthancNodes(config.orthancUrls(), Clock.systemUTC());
        adminNode = new OrthancNodes(List.of(config.orthancAdminUrl()), Clock.systemUTC());
        tls = sslContext(config.orthancTrustStore());
        authorization = config.orthancAuthorization();
        userHeader = config.upstreamUserHeader();
        userHeader.filter(name -> HeaderPolicy.forMessage(List.of()).toUpstream(name)).ifPresent(name -> {
            throw new IllegalArgumentException("gateway.upstream.user-header must not be a header clients send to"
                    + " Orthanc, got: " + name);
        });
        // The checks have a small pool of their own, so a busy route never hides Orthanc's state.
        PoolingHttpClientConnectionManager checkPool = newPool(2);
        checks = HttpClients.custom().setConnectionManager(checkPool).disableCookieManagement()
                .disableAutomaticRetries().build();
        // The cache's reads have a pool of their own too: its feed checks must not queue behind
        // the viewers' requests, nor they behind a burst of its metadata fills.
        PoolingHttpClientConnectionManager readPool = newPool(config.maxConnections());
        pools.put(READS, readPool);
        long idle = config.idleConnectionMillis();
        reads = HttpClients.custom().setConnectionManager(readPool).disableCookieManagement()
                .setKeepAliveStrategy((response, context) -> idle)
                .evictIdleConnections(idle, TimeUnit.MILLISECONDS).evictExpiredConnections()
                .disableAutomaticRetries().build();
    }

    @PreDestroy
    void stop() {
        pools.remove(READS);
        for (CloseableHttpClient client : List.of(checks, reads)) {
            try {
                client.close();
            } catch (IOException e) {
                // closing connections that are going anyway
            }
        }
    }

    /** The nodes requests are spread over. */
    public OrthancNodes nodes() {
        return nodes;
    }

    /** Each node's state as its checks found it; empty with one node, which is not checked. */
    public List<OrthancNodes.State> checkedNodes() {
        return nodes.several() ? nodes.states() : List.of();
    }

    /** The node the archive console is pinned to. */
    public URI adminUrl() {
        return adminNode.first();
    }

    /** Where a route's requests go: the nodes, or for the archive console the one node pinned for it. */
    public OrthancNodes nodesFor(RoutePolicy route) {
        return route.pinnedToAdminNode() ? adminNode : nodes;
    }

    /** A connection pool for a proxy route, sized by configuration and listed until {@link #closePool}. */
    public PoolingHttpClientConnectionManager openPool(String route, SocketConfig socketConfig) {
        PoolingHttpClientConnectionManager pool = newPool(config.maxConnections());
        pool.setDefaultSocketConfig(socketConfig);
        Map<UpstreamFailure.Kind, LongAdder> counts = new EnumMap<>(UpstreamFailure.Kind.class);
        for (UpstreamFailure.Kind kind : UpstreamFailure.Kind.values()) {
            if (kind.archiveFault()) {
                counts.put(kind, new LongAdder());
            }
        }
        failures.put(route, counts);
        pools.put(route, pool);
        return pool;
    }

    public void closePool(String route) {
        pools.remove(route);
        failures.remove(route);
    }

    /** Leased, idle and waiting connections of each route's pool. */
    public Map<String, PoolStats> statistics() {
        Map<String, PoolStats> statistics = new TreeMap<>();
        pools.forEach((route, pool) -> statistics.put(route, pool.getTotalStats()));
        return statistics;
    }

    /** Counts a failure of a request on a route's pool, if it is the archive's. */
    void failed(String route, UpstreamFailure.Kind kind) {
        Map<UpstreamFailure.Kind, LongAdder> counts = failures.get(route);
        LongAdder count = counts == null ? null : counts.get(kind);
        if (count != null) {
            count.increment();
        }
    }

    /** The archive's failures on each route since its pool opened, by kind. */
    public Map<String, Map<UpstreamFailure.Kind, Long>> failures() {
        Map<String, Map<UpstreamFailure.Kind, Long>> sums = new TreeMap<>();
        failures.forEach((route, counts) -> {
            Map<UpstreamFailure.Kind, Long> sum = new EnumMap<>(UpstreamFailure.Kind.class);
            counts.forEach((kind, count) -> sum.put(kind, count.sum()));
            sums.put(route, sum);
        });
        return sums;
    }

    /**
     * Adds what every request to Orthanc carries: the gateway's own credentials when Orthanc
     * wants them, the public origin the client used, and where configured the user's name.
     * Orthanc's DICOMweb plugin builds absolute URLs from the first Forwarded element (1.7,
     * unquoted, lower-case proto) or from X-Forwarded-Host/Proto (1.14 and later).
     *
     * @param user the name the container authenticated, or null
     */
    public void prepare(HttpRequest request, PublicOrigin origin, String user) {
        request.setHeader("Forwarded", "host=" + origin.hostAndPort() + ";proto=" + origin.scheme());
        request.setHeader("X-Forwarded-Host", origin.hostAndPort());
        request.setHeader("X-Forwarded-Proto", origin.scheme());
        authorization.ifPresent(value -> request.setHeader("Authorization", value));
        if (user != null) {
            userHeader.ifPresent(name -> request.setHeader(name, headerValue(user)));
        }
    }

    /** Printable ASCII as it is; anything else (non-Latin names, control characters) percent-encoded as UTF-8. */
    static String headerValue(String text) {
        return PercentEncoding.encode(text, c -> c >= 0x20 && c < 0x7f && c != '%');
    }

    /** Orthanc's answer to a check: its status and the start of its body. */
    public record Answer(int status, String body) {
    }

    /**
     * Asks one Orthanc node a GET question of the gateway's own, as a client at the origin would,
     * and reads the start of its answer.
     *
     * @param path below the node's URL, with its query, starting with "/"
     */
    public Answer get(URI node, String path, PublicOrigin origin, String accept, Duration timeout) throws IOException {
        try (CloseableHttpResponse answer = checks.execute(check(node, path, origin, accept, timeout))) {
            // Only the response is closed, which drops the connection: closing the body's stream
            // would read the rest of it first.
            InputStream in = answer.getEntity() == null ? InputStream.nullInputStream() : answer.getEntity().getContent();
            return new Answer(answer.getStatusLine().getStatusCode(),
                    new String(in.readNBytes(MAX_CHECK_BODY), StandardCharsets.UTF_8));
        }
    }

    /** The status of the default node's answer to a GET; the body is left unread, so an endless one cannot hold the caller. */
    public int status(String path, PublicOrigin origin, Duration timeout) throws IOException {
        try (CloseableHttpResponse answer = checks.execute(check(nodes.first(), path, origin, "*/*", timeout))) {
            return answer.getStatusLine().getStatusCode();
        }
    }

    private HttpGet check(URI node, String path, PublicOrigin origin, String accept, Duration timeout) {
        HttpGet get = new HttpGet(node + path);
        get.setConfig(timeouts(timeout));
        get.setHeader("Accept", accept);
        prepare(get, origin, null);
        return get;
    }

    private static RequestConfig timeouts(Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        return RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).build();
    }

    /**
     * A whole answer of Orthanc's to one of the gateway's own reads: status, type, coding and the
     * body as sent (still compressed when Orthanc compressed it).
     *
     * @param complete false when the body was longer than the reader would take, and was cut off
     */
    public record Body(int status, String contentType, String contentEncoding, byte[] bytes, boolean complete) {
    }

    /**
     * Reads an answer of Orthanc's whole, as a client at the origin would get it, up to a limit,
     * from the next node (another if that one fails).
     *
     * @param path below Orthanc's URL, with its query, starting with "/"
     * @param accept the Accept header, or null for none
     * @param gzip whether Orthanc may compress the body
     * @param timeout for connecting and for each silence while reading
     */
    public Body read(String path, PublicOrigin origin, String accept, boolean gzip, int maxBytes, Duration timeout)
            throws IOException {
        return nodes.call(true, node -> {
            HttpGet get = new HttpGet(node + path);
            get.setConfig(timeouts(timeout));
            if (accept != null) {
                get.setHeader("Accept", accept);
            }
            if (gzip) {
                get.setHeader("Accept-Encoding", "gzip");
            }
            prepare(get, origin, null);
            return readWhole(get, maxBytes);
        });
    }

    /**
     * Posts JSON to Orthanc's REST API (a search such as /tools/find, which changes nothing, so it
     * may be asked again on another node) and reads the answer.
     */
    public Body post(String path, String json, int maxBytes, Duration timeout) throws IOException {
        return nodes.call(true, node -> {
            HttpPost post = new HttpPost(node + path);
            post.setConfig(timeouts(timeout));
            post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
            authorization.ifPresent(value -> post.setHeader("Authorization", value));
            return readWhole(post, maxBytes);
        });
    }

    private Body readWhole(HttpUriRequest request, int maxBytes) throws IOException {
        try (CloseableHttpResponse answer = reads.execute(request)) {
            HttpEntity entity = answer.getEntity();
            byte[] bytes = entity == null ? new byte[0] : entity.getContent().readNBytes(maxBytes + 1);
            boolean complete = bytes.length <= maxBytes;
            if (complete && entity != null) {
                // The end of the body, so the connection goes back to the pool.
                EntityUtils.consume(entity);
            }
            return new Body(answer.getStatusLine().getStatusCode(), firstHeader(answer, "Content-Type"),
                    firstHeader(answer, "Content-Encoding"), complete ? bytes : Arrays.copyOf(bytes, maxBytes), complete);
        }
    }

    private static String firstHeader(HttpResponse answer, String name) {
        Header header = answer.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private PoolingHttpClientConnectionManager newPool(int maxConnections) {
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(RegistryBuilder
                .<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new SSLConnectionSocketFactory(tls))
                .build());
        pool.setMaxTotal(maxConnections);
        pool.setDefaultMaxPerRoute(maxConnections);
        return pool;
    }

    static SSLContext sslContext(Optional<TrustStore> trustStore) {
        try {
            if (trustStore.isEmpty()) {
                return SSLContexts.createSystemDefault();
            }
            KeyStore store = KeyStore.getInstance(trustStore.get().type());
            try (InputStream in = Files.newInputStream(trustStore.get().file())) {
                store.load(in, trustStore.get().password());
            }
            return SSLContexts.custom().loadTrustMaterial(store, null).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the trust store for Orthanc ("
                    + trustStore.map(TrustStore::file).map(Path::toString).orElse("JVM default") + "): " + e.getMessage(), e);
        }
    }
}
