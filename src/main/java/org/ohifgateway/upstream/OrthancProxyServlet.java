package org.ohifgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.HttpClient;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.impl.client.DefaultHttpRequestRetryHandler;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.util.EntityUtils;
import org.mitre.dsmiley.httpproxy.ProxyServlet;
import org.ohifgateway.audit.RequestId;
import org.ohifgateway.audit.SentBytes;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.security.CanonicalPath;
import org.ohifgateway.security.RejectedRequest;

/**
 * The MITRE proxy servlet, adjusted through its hooks for an Orthanc upstream behind a
 * login: settings from {@link GatewayConfig}, a connection pool sized for a viewer's parallel
 * requests, a checked path instead of the raw one, no user credentials or cookies upstream,
 * and short error answers instead of the container's stack-trace page.
 */
public abstract class OrthancProxyServlet extends ProxyServlet {

    private static final Logger LOG = Logger.getLogger(OrthancProxyServlet.class.getName());
    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final String ATTR_PATH = OrthancProxyServlet.class.getName() + ".path";
    private static final String PRIVATE_REVALIDATED = "private, no-cache";

    private GatewayConfig config;
    private String upstreamAuthorization;
    // Read once: MicroProfile Config looks a key up through every source on each call.
    private long maxUploadBytes;
    private int storeTimeoutMillis;

    protected GatewayConfig config() {
        return config;
    }

    /** The checked path of a request this servlet is serving. */
    protected static CanonicalPath canonicalPath(HttpServletRequest request) {
        return (CanonicalPath) request.getAttribute(ATTR_PATH);
    }

    /** The path on Orthanc this route forwards to, without a trailing slash ("" for the root). */
    protected abstract String upstreamBasePath(GatewayConfig config, String contextPath);

    /** Refuses requests outside what the route offers; the default allows every path. */
    protected void checkRoute(HttpServletRequest request, CanonicalPath path) throws RejectedRequest {
    }

    @Override
    public void init() throws ServletException {
        config = GatewayConfig.fromMicroProfile();
        upstreamAuthorization = config.orthancAuthorization().orElse(null);
        maxUploadBytes = config.maxUploadBytes();
        storeTimeoutMillis = config.storeTimeoutMillis();
        super.init();
    }

    @Override
    protected String getConfigParam(String key) {
        return switch (key) {
            case P_TARGET_URI -> config.orthancUrl() + upstreamBasePath(config, getServletContext().getContextPath());
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
                .setConnectionManager(UpstreamConnections.open(getServletName(), config.maxConnections(),
                        buildSocketConfig(), config.orthancTrustStore()))
                .setKeepAliveStrategy((response, context) -> idle)
                .evictIdleConnections(idle, TimeUnit.MILLISECONDS)
                .evictExpiredConnections()
                .setRetryHandler(new DefaultHttpRequestRetryHandler(1, false))
                .disableCookieManagement()
                .build();
    }

    @Override
    public void destroy() {
        UpstreamConnections.closed(getServletName());
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String requestId = RequestId.of(request, response);
        try {
            if (request.getContentLengthLong() > maxUploadBytes) {
                throw new RejectedRequest(413, "The upload is larger than the gateway accepts.");
            }
            CanonicalPath path = CanonicalPath.parse(request.getRequestURI(),
                    request.getContextPath() + request.getServletPath());
            checkRoute(request, path);
            request.setAttribute(ATTR_PATH, path);
            super.service(request, response);
        } catch (RejectedRequest e) {
            ErrorReply.send(request, response, e.status(), e.getMessage(), requestId);
        } catch (UpstreamFailure e) {
            LOG.warning(() -> "request " + requestId + " " + request.getMethod() + " " + request.getRequestURI()
                    + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            ErrorReply.send(request, response, e.status(), e.clientMessage(), requestId);
        } catch (IOException | RuntimeException e) {
            if (response.isCommitted()) {
                // The client went away or the archive broke off mid-body: the client must not
                // receive a proper end of body.
                LOG.info(() -> "request " + requestId + " " + request.getRequestURI() + " ended early: " + e);
                if (!ConnectionBreaker.breakConnection(response)) {
                    throw e;
                }
            } else {
                LOG.log(Level.WARNING, "request " + requestId + " failed", e);
                ErrorReply.send(request, response, 502, "The image archive connection failed.", requestId);
            }
        }
    }

    @Override
    protected HttpResponse doExecute(HttpServletRequest servletRequest, HttpServletResponse servletResponse,
                                     HttpRequest proxyRequest) throws IOException {
        HttpResponse upstream;
        try {
            HttpClientContext context = HttpClientContext.create();
            if (isUpload(servletRequest)) {
                // Orthanc answers an upload only once it has stored all of it. A streamed body
                // cannot be sent twice, so a pooled connection Orthanc has meanwhile closed must
                // be found before sending, not retried after (the check costs ~1 ms).
                @SuppressWarnings("deprecation")
                RequestConfig upload = RequestConfig.copy(buildRequestConfig())
                        .setSocketTimeout(storeTimeoutMillis).setStaleConnectionCheckEnabled(true).build();
                context.setRequestConfig(upload);
            }
            upstream = getProxyClient().execute(getTargetHost(servletRequest), proxyRequest, context);
        } catch (IOException e) {
            throw UpstreamFailure.of(e);
        }
        if (upstream.getStatusLine().getStatusCode() == HttpServletResponse.SC_UNAUTHORIZED) {
            EntityUtils.consumeQuietly(upstream.getEntity());
            throw UpstreamFailure.credentialsRefused();
        }
        return upstream;
    }

    /**
     * Streams the body with a flush whenever the archive has nothing more ready, so a client sees
     * every byte as soon as Orthanc sends it (MITRE flushes like this for chunked bodies only).
     */
    @Override
    protected void copyResponseEntity(HttpResponse proxyResponse, HttpServletResponse response,
                                      HttpRequest proxyRequest, HttpServletRequest request) throws IOException {
        HttpEntity entity = proxyResponse.getEntity();
        if (entity == null) {
            return;
        }
        // Not closed here: closing would read the rest of the body. On failure the request is
        // aborted instead (handleRequestException), which drops the connection.
        InputStream in = entity.getContent();
        OutputStream out = responseBody(request, proxyResponse, response.getOutputStream());
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long sent = 0;
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                sent += read;
                if (in.available() == 0) {
                    out.flush();
                }
            }
            out.close();
        } finally {
            SentBytes.record(request, sent);
        }
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

    /** False when {@link #responseBody} changes the body's length. */
    protected boolean keepsLength(HttpServletRequest request, HttpResponse proxyResponse) {
        return true;
    }

    /** Where the body goes: the client's stream, or a filter in front of it; closed at the end of the body. */
    protected OutputStream responseBody(HttpServletRequest request, HttpResponse proxyResponse, OutputStream client) {
        return client;
    }

    @Override
    protected String rewriteUrlFromRequest(HttpServletRequest request) {
        CanonicalPath path = canonicalPath(request);
        StringBuilder uri = new StringBuilder(getTargetUri(request)).append(path.encoded());
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            uri.append('?').append(encodeUriQuery(query, false));
        }
        return uri.toString();
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest request, HttpRequest proxyRequest) {
        HeaderPolicy policy = HeaderPolicy.forMessage(Collections.list(request.getHeaders("Connection")));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (policy.toUpstream(name)) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    proxyRequest.addHeader(name, value);
                }
            }
        }
        PublicOrigin origin = PublicOrigin.of(request);
        // Orthanc's DICOMweb plugin builds absolute URLs from the first Forwarded element (1.7,
        // unquoted, lower-case proto) or from X-Forwarded-Host/Proto (1.14 and later).
        proxyRequest.setHeader("Forwarded", "host=" + origin.hostAndPort() + ";proto=" + origin.scheme());
        proxyRequest.setHeader("X-Forwarded-Host", origin.hostAndPort());
        proxyRequest.setHeader("X-Forwarded-Proto", origin.scheme());
        if (upstreamAuthorization != null) {
            proxyRequest.setHeader("Authorization", upstreamAuthorization);
        }
    }

    @Override
    protected void copyResponseHeaders(HttpResponse proxyResponse, HttpServletRequest request,
                                       HttpServletResponse response) {
        HeaderPolicy policy = HeaderPolicy.forMessage(
                Arrays.stream(proxyResponse.getHeaders("Connection")).map(Header::getValue).toList());
        Set<String> copied = new HashSet<>();
        for (Header header : proxyResponse.getAllHeaders()) {
            String name = header.getName();
            if (!policy.toClient(name) || name.equalsIgnoreCase("Content-Length") && !keepsLength(request, proxyResponse)) {
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
        if (!copied.contains("cache-control")) {
            // Patient data: never in a shared cache, revalidated on each use (as the container's
            // Expires in the past already implies).
            response.setHeader("Cache-Control", PRIVATE_REVALIDATED);
        }
    }
}
