package org.ohifgateway.upstream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.HttpClient;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.client.utils.URIUtils;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.DefaultHttpRequestRetryHandler;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.util.EntityUtils;
import org.mitre.dsmiley.httpproxy.ProxyServlet;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.ErrorReply;
import org.ohifgateway.http.PercentEncoding;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.http.RejectedRequest;
import org.ohifgateway.http.RequestId;
import org.ohifgateway.http.RouteNotes;
import org.ohifgateway.http.ServerConnection;

/**
 * A proxied route to Orthanc: the MITRE proxy servlet, adjusted through its hooks for an Orthanc
 * behind a login (settings from {@link GatewayConfig}, a connection pool sized for a viewer's
 * parallel requests from {@link OrthancClient}, a checked path instead of the raw one, no user
 * credentials or cookies upstream, short error answers instead of the container's stack-trace
 * page), with what differs per route in the {@link RoutePolicy} web.xml names.
 */
public class OrthancProxyServlet extends ProxyServlet {

    /** The init-param naming the route's {@link RoutePolicy} class. */
    public static final String POLICY = "route-policy";

    private static final Logger LOG = Logger.getLogger(OrthancProxyServlet.class.getName());
    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    /** Bodies up to this length are held whole before they go out (see copyResponseEntity). */
    private static final long SHORT_BODY_BYTES = 1024 * 1024;
    /** Room for the answer's status line and headers next to a short body in the container's buffer. */
    private static final int ANSWER_HEAD_BYTES = 4 * 1024;
    private static final String ATTR_PATH = OrthancProxyServlet.class.getName() + ".path";
    /** The names (lower case) of Orthanc's headers put on the answer, for an error answer to drop. */
    private static final String ATTR_COPIED = OrthancProxyServlet.class.getName() + ".copied";
    /** Cache-Control of archive answers that bring none: patient data, never in a shared cache, revalidated on each use. */
    public static final String PRIVATE_REVALIDATED = "private, no-cache";

    @Inject
    private GatewayConfig config;
    @Inject
    private OrthancClient orthanc;
    @Inject
    private Instance<RoutePolicy> policies;

    private RoutePolicy policy;
    private OrthancNodes nodes;
    // Read once: they are asked on every request.
    private long maxUploadBytes;
    private int storeTimeoutMillis;

    /** For the container, which injects the fields and the route policy web.xml names. */
    public OrthancProxyServlet() {
    }

    /** With its parts given, as a test without a container makes it. */
    OrthancProxyServlet(GatewayConfig config, OrthancClient orthanc, RoutePolicy policy) {
        this.config = config;
        this.orthanc = orthanc;
        this.policy = policy;
    }

    @Override
    public void init() throws ServletException {
        if (policy == null) {
            policy = namedPolicy();
        }
        nodes = orthanc.nodesFor(policy);
        maxUploadBytes = config.maxUploadBytes();
        storeTimeoutMillis = config.storeTimeoutMillis();
        super.init();
    }

    private RoutePolicy namedPolicy() throws ServletException {
        String policyClass = getInitParameter(POLICY);
        try {
            return policies.select(Class.forName(policyClass, true, getClass().getClassLoader())
                    .asSubclass(RoutePolicy.class)).get();
        } catch (ClassNotFoundException | ClassCastException | NullPointerException e) {
            throw new ServletException("Servlet " + getServletName() + ": init-param " + POLICY
                    + " must name a RoutePolicy, got: " + policyClass, e);
        }
    }

    @Override
    protected String getConfigParam(String key) {
        return switch (key) {
            // The default node: MITRE rewrites Location headers naming it. Each request's node is
            // chosen in doExecute.
            case P_TARGET_URI -> nodes.first() + policy.upstreamPath();
            case P_MAXCONNECTIONS -> Integer.toString(config.maxConnections());
            case P_CONNECTTIMEOUT -> Integer.toString(config.connectTimeoutMillis());
            case P_READTIMEOUT -> Integer.toString(config.readTimeoutMillis());
            case P_CONNECTIONREQUESTTIMEOUT -> Integer.toString(config.poolTimeoutMillis());
            // Defaults that would hurt here: a pool of 5 from system properties, a client-supplied
            // X-Forwarded-For passed on, and decompressing Orthanc's gzip only to send it raw.
            case P_USESYSTEMPROPERTIES, P_FORWARDEDFOR, P_PRESERVEHOST, P_HANDLECOMPRESSION,
                    P_HANDLEREDIRECTS, P_PRESERVECOOKIES -> "false";
            default -> super.getConfigParam(key);
        };
    }

    @Override
    protected HttpClient buildHttpClient(HttpClientBuilder builder) {
        long idle = config.idleConnectionMillis();
        return builder
                .setConnectionManager(orthanc.openPool(getServletName(), buildSocketConfig()))
                .setKeepAliveStrategy((response, context) -> idle)
                .evictIdleConnections(idle, TimeUnit.MILLISECONDS)
                .evictExpiredConnections()
                .setRetryHandler(new DefaultHttpRequestRetryHandler(1, false))
                .disableCookieManagement()
                .build();
    }

    @Override
    public void destroy() {
        orthanc.closePool(getServletName());
        super.destroy();
    }

    /** The checked path of a request this servlet is serving. */
    private static CanonicalPath canonicalPath(HttpServletRequest request) {
        return (CanonicalPath) request.getAttribute(ATTR_PATH);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String requestId = RequestId.of(request);
        if (policy.rootNeedsSlash() && request.getPathInfo() == null) {
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        // Error answers go to the request as the client sent it: a HEAD gets no body.
        HttpServletRequest asked = request;
        if (policy.headAsGet() && "HEAD".equals(request.getMethod())) {
            request = new HeadAsGet(request);
        }
        try {
            RouteNotes.access(request, policy.unknownKind());
            if (request.getContentLengthLong() > maxUploadBytes) {
                throw new RejectedRequest(413, "The upload is larger than the gateway accepts.");
            }
            CanonicalPath path = CanonicalPath.parse(request.getRequestURI(),
                    request.getContextPath() + request.getServletPath());
            AccessKind kind = policy.classify(request.getMethod(), path);
            RouteNotes.access(request, kind);
            policy.admit(kind, request.getMethod(), path, request.getHeader("Accept"));
            request.setAttribute(ATTR_PATH, path);
            if (policy.answered(path, asked, response)) {
                return;
            }
            super.service(request, response);
        } catch (RejectedRequest e) {
            ErrorReply.send(asked, response, e);
        } catch (UpstreamFailure e) {
            orthanc.failed(getServletName(), e.kind());
            if (response.isCommitted()) {
                if (!endedEarly(requestId, asked, response, e)) {
                    throw e;
                }
            } else {
                LOG.warning(() -> "request " + requestId + " " + asked.getMethod() + " " + asked.getRequestURI()
                        + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                dropOrthancsAnswer(asked, response);
                ErrorReply.send(asked, response, e.status(), e.clientMessage());
            }
        } catch (IOException | RuntimeException e) {
            if (response.isCommitted()) {
                if (!endedEarly(requestId, asked, response, e)) {
                    throw e;
                }
            } else {
                LOG.log(Level.WARNING, "request " + requestId + " failed", e);
                dropOrthancsAnswer(asked, response);
                ErrorReply.send(asked, response, 502, "The image archive connection failed.");
            }
        }
    }

    /**
     * Orthanc's answer failed after its headers were put on the client's answer, before anything
     * was sent: they describe a body the client will not get (its ETag, Last-Modified,
     * Content-Encoding, Content-Disposition), so the error answer keeps only the gateway's own
     * (request id, protective headers). The Servlet API removes headers only all at once. The
     * body bytes already buffered go too, and the audit line does not count them as sent.
     */
    private static void dropOrthancsAnswer(HttpServletRequest request, HttpServletResponse response) {
        RouteNotes.sentBytes(request, 0);
        if (!(request.getAttribute(ATTR_COPIED) instanceof Set<?> copied)) {
            return;
        }
        Map<String, List<String>> own = new LinkedHashMap<>();
        for (String name : response.getHeaderNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            // The error answer sets its own type and length.
            if (!copied.contains(lower) && !lower.equals("content-type") && !lower.equals("content-length")) {
                own.putIfAbsent(name, List.copyOf(response.getHeaders(name)));
            }
        }
        response.reset();
        own.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    }

    /**
     * The client went away or the archive broke off mid-body: the client must not receive a
     * proper end of body, so its connection is cut.
     *
     * @return false when it could not be cut here; the caller rethrows, which makes the container cut it
     */
    private static boolean endedEarly(String requestId, HttpServletRequest asked, HttpServletResponse response,
                                      Exception failure) {
        LOG.info(() -> "request " + requestId + " " + asked.getRequestURI() + " ended early: " + failure);
        return ServerConnection.cut(response);
    }

    /** A HEAD request asked upstream as GET; only the answer's headers go back. */
    private static final class HeadAsGet extends HttpServletRequestWrapper {

        HeadAsGet(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "GET";
        }
    }

    @Override
    protected HttpResponse doExecute(HttpServletRequest servletRequest, HttpServletResponse servletResponse,
                                     HttpRequest proxyRequest) throws IOException {
        boolean upload = isUpload(servletRequest);
        String method = servletRequest.getMethod();
        HttpResponse upstream;
        try {
            // The request's target is a path below a node; the node is chosen here, and another
            // one when Failover allows.
            upstream = nodes.call("GET".equals(method) || "HEAD".equals(method), node -> {
                HttpRequestWrapper attempt = HttpRequestWrapper.wrap(proxyRequest);
                attempt.setURI(URI.create(node + proxyRequest.getRequestLine().getUri()));
                return getProxyClient().execute(URIUtils.extractHost(node), attempt, context(upload));
            });
        } catch (IOException e) {
            throw UpstreamFailure.of(e);
        }
        if (upstream.getStatusLine().getStatusCode() == HttpServletResponse.SC_UNAUTHORIZED) {
            EntityUtils.consumeQuietly(upstream.getEntity());
            throw UpstreamFailure.credentialsRefused();
        }
        return upstream;
    }

    private HttpClientContext context(boolean upload) {
        HttpClientContext context = HttpClientContext.create();
        if (upload) {
            // Orthanc answers an upload only once it has stored all of it. A streamed body
            // cannot be sent twice, so a pooled connection Orthanc has meanwhile closed must
            // be found before sending, not retried after (the check costs ~1 ms).
            @SuppressWarnings("deprecation")
            RequestConfig storing = RequestConfig.copy(buildRequestConfig())
                    .setSocketTimeout(storeTimeoutMillis).setStaleConnectionCheckEnabled(true).build();
            context.setRequestConfig(storing);
        }
        return context;
    }

    /**
     * Streams the body with a flush whenever the archive has nothing more ready, so a client sees
     * every byte as soon as Orthanc sends it (MITRE flushes like this for chunked bodies only).
     * A short body of known length (a frame) is held in the container's buffer until it is whole.
     */
    @Override
    protected void copyResponseEntity(HttpResponse proxyResponse, HttpServletResponse response,
                                      HttpRequest proxyRequest, HttpServletRequest request) throws IOException {
        HttpEntity entity = proxyResponse.getEntity();
        if (entity == null) {
            return;
        }
        if (request instanceof HeadAsGet && proxyResponse instanceof Closeable answer) {
            // Closing the answer drops the connection, which is cheaper than reading a whole study
            // only to throw it away.
            answer.close();
            return;
        }
        // Not closed here: closing would read the rest of the body. On failure the request is
        // aborted instead (handleRequestException), which drops the connection.
        InputStream in = entity.getContent();
        String contentType = contentType(proxyResponse);
        OutputStream out = policy.rewritesBody(contentType)
                ? policy.rewrittenBody(contentType, PublicOrigin.of(request), response.getOutputStream())
                : response.getOutputStream();
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long length = entity.getContentLength();
        boolean streamed = length < 0 || length > SHORT_BODY_BYTES;
        if (!streamed) {
            // Held whole before it goes out: one socket write, and if Orthanc breaks off within
            // it, the client still gets a clean 502 rather than a cut-off answer.
            response.setBufferSize((int) length + ANSWER_HEAD_BYTES);
        }
        long sent = 0;
        try {
            int read;
            while ((read = fromArchive(in, buffer)) != -1) {
                out.write(buffer, 0, read);
                sent += read;
                if (streamed && in.available() == 0) {
                    out.flush();
                }
            }
            out.close();
        } finally {
            RouteNotes.sentBytes(request, sent);
        }
    }

    /** Reads the archive's answer; its failures (a reset, a stall past the read timeout) count as the archive's. */
    private static int fromArchive(InputStream in, byte[] buffer) throws UpstreamFailure {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw UpstreamFailure.of(e);
        }
    }

    private static String contentType(HttpResponse proxyResponse) {
        HttpEntity entity = proxyResponse.getEntity();
        return entity == null || entity.getContentType() == null ? null : entity.getContentType().getValue();
    }

    /** A request that sends Orthanc data; a GET with an empty body (JDK 17's client sends Content-Length: 0) is none. */
    private static boolean isUpload(HttpServletRequest request) {
        String method = request.getMethod();
        return ("POST".equals(method) || "PUT".equals(method))
                && (request.getContentLengthLong() != 0 || request.getHeader("Transfer-Encoding") != null);
    }

    /** The request body as MITRE passes it on, cut off past the upload limit. */
    @Override
    protected HttpRequest newProxyRequestWithEntity(String method, String proxyRequestUri,
                                                    HttpServletRequest servletRequest) throws IOException {
        HttpEntityEnclosingRequest proxyRequest = new BasicHttpEntityEnclosingRequest(method, proxyRequestUri);
        proxyRequest.setEntity(new InputStreamEntity(
                new BoundedUpload(servletRequest.getInputStream(), maxUploadBytes),
                servletRequest.getContentLengthLong()));
        return proxyRequest;
    }

    /** The target below the node (route path, checked path, query); {@link #doExecute} puts the node in front. */
    @Override
    protected String rewriteUrlFromRequest(HttpServletRequest request) {
        CanonicalPath path = canonicalPath(request);
        StringBuilder uri = new StringBuilder(policy.upstreamPath()).append(path.encoded());
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            uri.append('?').append(PercentEncoding.query(policy.upstreamQuery(query)));
        }
        return uri.toString();
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest request, HttpRequest proxyRequest) {
        HeaderPolicy headers = HeaderPolicy.forMessage(Collections.list(request.getHeaders("Connection")));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (headers.toUpstream(name) && policy.forwards(name)) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    proxyRequest.addHeader(name, value);
                }
            }
        }
        orthanc.prepare(proxyRequest, PublicOrigin.of(request), request.getRemoteUser());
    }

    @Override
    protected void copyResponseHeaders(HttpResponse proxyResponse, HttpServletRequest request,
                                       HttpServletResponse response) {
        HeaderPolicy headers = HeaderPolicy.forMessage(
                Arrays.stream(proxyResponse.getHeaders("Connection")).map(Header::getValue).toList());
        boolean keepsLength = !policy.rewritesBody(contentType(proxyResponse));
        Set<String> copied = new HashSet<>();
        for (Header header : proxyResponse.getAllHeaders()) {
            String name = header.getName();
            if (!headers.toClient(name) || name.equalsIgnoreCase("Content-Length") && !keepsLength) {
                continue;
            }
            String value = name.equalsIgnoreCase("Location")
                    ? rewriteUrlFromResponse(request, header.getValue()) : header.getValue();
            // The first value replaces what the container may have set (e.g. Cache-Control on
            // protected pages); further values of the same header are kept.
            if (copied.add(name.toLowerCase(Locale.ROOT))) {
                response.setHeader(name, value);
            } else {
                response.addHeader(name, value);
            }
        }
        request.setAttribute(ATTR_COPIED, copied);
        if (!copied.contains("cache-control")) {
            // Patient data: never in a shared cache, revalidated on each use (as the container's
            // Expires in the past already implies).
            response.setHeader("Cache-Control", PRIVATE_REVALIDATED);
        }
        String type = response.getContentType();
        if (type != null) {
            String corrected = policy.contentType(RouteNotes.access(request).orElseThrow(), request::getParameter, type);
            if (!corrected.equals(type)) {
                response.setContentType(corrected);
            }
        }
    }
}
