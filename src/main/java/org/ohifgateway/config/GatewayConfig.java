package org.ohifgateway.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.http.Routes;

/**
 * Every setting the gateway reads, with its default. Values come from MicroProfile Config, so
 * each key can be given as an environment variable (upper case, dots and dashes as underscores:
 * {@code orthanc.url} is {@code ORTHANC_URL}) or in the settings file ({@link SettingsFile}), and
 * secrets as files ({@link Secrets}). The application uses one instance (see
 * {@link ConfigFromMicroProfile}), checked whole at deployment; the start command checks the same
 * before the server starts.
 */
public class GatewayConfig {

    private static final int MAX_LOGIN_CACHE_SECONDS = 300;

    /** An npm package name, which is what OHIF uses as a mode's id (e.g. @ohif/mode-longitudinal). */
    private static final Pattern MODE_ID = Pattern.compile("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*");
    private static final int MAX_LABEL_LENGTH = 100;
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");

    private final Function<String, Optional<String>> source;

    public GatewayConfig(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** For the container's client proxy only. */
    protected GatewayConfig() {
        this.source = null;
    }

    /**
     * The settings as MicroProfile Config has them, each key looked up once and taken as written:
     * without the expansion of ${...} expressions, so a password holding "${" arrives as it is.
     */
    static GatewayConfig fromMicroProfile() {
        var config = ConfigProvider.getConfig(GatewayConfig.class.getClassLoader());
        Map<String, Optional<String>> read = new ConcurrentHashMap<>();
        Function<String, Optional<String>> secretsFromFiles = Secrets.fromFiles(key -> Optional.ofNullable(
                config.getConfigValue(key).getRawValue()).map(String::trim).filter(value -> !value.isEmpty()));
        return new GatewayConfig(key -> read.computeIfAbsent(key, secretsFromFiles));
    }

    /**
     * Reads every setting once, so that a value the gateway cannot use stops the deployment with
     * its key named, rather than the first request that needs it.
     */
    public GatewayConfig validated() {
        orthancUrls();
        orthancAdminUrl();
        nodeCheckIntervalMillis();
        nodeCheckTimeoutMillis();
        orthancAuthorization();
        orthancTrustStore();
        dicomWebRoot("");
        upstreamUserHeader();
        maxConnections();
        connectTimeoutMillis();
        readTimeoutMillis();
        storeTimeoutMillis();
        poolTimeoutMillis();
        idleConnectionMillis();
        allowedTransferSyntaxes();
        trustedProxies();
        publicOrigins();
        viewerFilesPublic();
        viewerSettings();
        auditFile();
        auditFileLimitBytes();
        auditFileCount();
        loginLimits();
        loginCacheTime();
        deniedAdminRoutes();
        maxUploadBytes();
        viewerContentSecurityPolicy();
        adminContentSecurityPolicy();
        hstsMaxAgeSeconds();
        nodeName();
        directory();
        cacheEnabled();
        cacheLimitBytes();
        cacheFeedIntervalMillis();
        cachePrecompute();
        clusterMembers();
        return this;
    }

    /** Base URL of the default Orthanc node (the first of {@link #orthancUrls}), without a trailing slash. */
    public URI orthancUrl() {
        return orthancUrls().get(0);
    }

    /**
     * Base URLs of the Orthanc nodes the gateway spreads requests over, without trailing slashes:
     * one, or several comma-separated that share one database and storage; the first is the default.
     */
    public List<URI> orthancUrls() {
        List<String> urls = commaSeparated("orthanc.url", "http://127.0.0.1:8042");
        if (urls.isEmpty()) {
            throw SettingValues.invalid("orthanc.url", "must name at least one Orthanc, got an empty list");
        }
        List<URI> nodes = urls.stream().map(url -> orthancBase("orthanc.url", url)).toList();
        if (new LinkedHashSet<>(nodes).size() < nodes.size()) {
            throw SettingValues.invalid("orthanc.url", "names a node twice: " + String.join(",", urls));
        }
        return nodes;
    }

    /**
     * The one Orthanc node the archive console ({@code /pacs-admin}) goes to, never another: jobs,
     * modalities and peers are each node's own. By default the first of {@code orthanc.url}.
     */
    public URI orthancAdminUrl() {
        return source.apply("orthanc.admin-url").map(url -> orthancBase("orthanc.admin-url", url))
                .orElseGet(this::orthancUrl);
    }

    private static URI orthancBase(String key, String text) {
        String url = text.replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw SettingValues.invalid(key, "must be an http:// or https:// URL, got: " + url);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw SettingValues.invalid(key, "must be an http:// or https:// URL, got: " + url);
        }
        if (uri.getUserInfo() != null) {
            // The URL is shown in the health check and the metrics; credentials have their own settings.
            throw SettingValues.invalid(key, "must not hold credentials (use orthanc.username and orthanc.password)");
        }
        return uri;
    }

    /** How often the gateway asks each Orthanc node whether it answers. */
    public int nodeCheckIntervalMillis() {
        return positive("gateway.upstream.check-interval-ms", 2_000);
    }

    /** How long a node's check may take before the node counts as down. */
    public int nodeCheckTimeoutMillis() {
        return positive("gateway.upstream.check-timeout-ms", 1_000);
    }

    /**
     * The Authorization header the gateway itself presents to Orthanc, when Orthanc has
     * authentication on ({@code orthanc.username}, {@code orthanc.password}).
     */
    public Optional<String> orthancAuthorization() {
        return source.apply("orthanc.username").map(user -> "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + source.apply("orthanc.password").orElse("")).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The certificates an HTTPS Orthanc is checked against ({@code orthanc.trust-store}, a PKCS12
     * or JKS file); without one, the JVM's trusted authorities.
     */
    public Optional<TrustStore> orthancTrustStore() {
        return source.apply("orthanc.trust-store").map(file -> new TrustStore(Path.of(file),
                source.apply("orthanc.trust-store-password").map(String::toCharArray).orElse(null),
                text("orthanc.trust-store-type", file.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12")));
    }

    /**
     * Orthanc's {@code DicomWeb.Root}. Without a URL rewrite it must equal the public path of the
     * DICOMweb route, which is the default.
     */
    public String dicomWebRoot(String contextPath) {
        String root = text("orthanc.dicomweb.root", contextPath + Routes.DICOMWEB + "/");
        return (root.startsWith("/") ? "" : "/") + root + (root.endsWith("/") ? "" : "/");
    }

    /**
     * The header in which the gateway tells Orthanc the name of the user it authenticated
     * ({@code gateway.upstream.user-header}); none by default. A client's own header of that name
     * never reaches Orthanc.
     */
    public Optional<String> upstreamUserHeader() {
        return source.apply("gateway.upstream.user-header").map(name -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(EnvironmentName.both("gateway.upstream.user-header") + " must be a header name such as"
                        + " X-Gateway-User, got: " + name);
            }
            return name;
        });
    }

    public int maxConnections() {
        return positive("gateway.upstream.max-connections", 128);
    }

    public int connectTimeoutMillis() {
        return positive("gateway.upstream.connect-timeout-ms", 5_000);
    }

    /** Longest silence while reading an upstream response, not the time for a whole body. */
    public int readTimeoutMillis() {
        return positive("gateway.upstream.read-timeout-ms", 120_000);
    }

    /** Longest wait for Orthanc's answer to an upload, which comes only after it stored everything. */
    public int storeTimeoutMillis() {
        return positive("gateway.upstream.store-timeout-ms", 600_000);
    }

    public int poolTimeoutMillis() {
        return positive("gateway.upstream.pool-timeout-ms", 30_000);
    }

    /** Orthanc closes idle keep-alive connections after 1 s; the gateway drops them sooner. */
    public int idleConnectionMillis() {
        return positive("gateway.upstream.idle-connection-ms", 700);
    }

    /**
     * Transfer syntaxes a client may ask WADO-RS for; "*" is the stored form. Anything else makes
     * Orthanc convert images, which is slow and has crashed it (see TransferSyntaxPolicy).
     */
    public Set<String> allowedTransferSyntaxes() {
        return new TreeSet<>(commaSeparated("gateway.dicomweb.transfer-syntaxes", "*,1.2.840.10008.1.2.1"));
    }

    /**
     * IP addresses of reverse proxies in front of the gateway whose X-Forwarded-For, -Proto and
     * -Host are believed; none by default.
     */
    public Set<String> trustedProxies() {
        return new TreeSet<>(commaSeparated("gateway.trusted-proxies", ""));
    }

    /**
     * The origins (scheme, host, port) clients reach the gateway at; a request naming another
     * host is refused. Empty (the default): only loopback names (localhost, 127.0.0.1, [::1]).
     */
    public Set<PublicOrigin> publicOrigins() {
        Set<PublicOrigin> origins = new LinkedHashSet<>();
        for (String origin : commaSeparated("gateway.public-origins", "")) {
            try {
                origins.add(PublicOrigin.parse(origin));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(EnvironmentName.both("gateway.public-origins") + " must list origins such as"
                        + " https://pacs.hospital.example:8443, got: " + origin, e);
            }
        }
        return origins;
    }

    /** When true, the viewer's static files are served without login; /pacs stays protected. */
    public boolean viewerFilesPublic() {
        return bool("gateway.viewer.public", false);
    }

    /** What the viewer shows and offers, set per site without rebuilding it. */
    public ViewerSettings viewerSettings() {
        return new ViewerSettings(
                label("gateway.viewer.title"),
                label("gateway.viewer.data-source-name").orElse("Orthanc (through ohif-gateway)"),
                source.apply("gateway.viewer.default-mode").map(mode -> {
                    if (!MODE_ID.matcher(mode).matches()) {
                        throw new IllegalArgumentException(EnvironmentName.both("gateway.viewer.default-mode") + " must be the id of an OHIF mode"
                                + " such as @ohif/mode-longitudinal, got: " + mode);
                    }
                    return mode;
                }),
                source.apply("gateway.viewer.study-list-page-size")
                        .map(size -> positive("gateway.viewer.study-list-page-size", size)),
                bool("gateway.viewer.upload", true),
                bool("gateway.viewer.tour", true),
                bool("gateway.viewer.investigational-use-notice", true));
    }

    /**
     * The audit trail's file, as a java.util.logging FileHandler pattern ({@code %g} is the
     * rotation number, {@code %h} the user's home).
     */
    public String auditFile() {
        return text("gateway.audit.file", "%h/ohif-gateway-audit/audit.%g.log");
    }

    public int auditFileLimitBytes() {
        return Math.multiplyExact(positive("gateway.audit.file-limit-mb", 100), 1024 * 1024);
    }

    public int auditFileCount() {
        return positive("gateway.audit.file-count", 20);
    }

    public LoginLimits loginLimits() {
        return new LoginLimits(
                positive("gateway.login.slow-after", 3),
                positive("gateway.login.max-failures-per-user", 5),
                positive("gateway.login.max-failures-per-address", 20),
                Duration.ofSeconds(positive("gateway.login.window-seconds", 900)),
                Duration.ofSeconds(positive("gateway.login.cool-down-seconds", 300)),
                Duration.ofMillis(positive("gateway.login.slow-step-ms", 500)),
                Duration.ofMillis(positive("gateway.login.slow-max-ms", 2_000)));
    }

    /**
     * How long a user name and password the server's realm accepted are kept, so that the same
     * login is not checked against the realm on every request; zero checks every request. At
     * most five minutes: a directory account disabled must not go on working for long.
     */
    public Duration loginCacheTime() {
        String key = "gateway.login.cache-seconds";
        int seconds = zeroOrPositive(key, 30);
        if (seconds > MAX_LOGIN_CACHE_SECONDS) {
            throw SettingValues.invalid(key, "must be at most " + MAX_LOGIN_CACHE_SECONDS + " (0: every login is checked), got: " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * Archive console requests refused even to administrators, as "METHOD /path" with a trailing
     * "*" for a whole subtree and a leading "/**" for below any root; "none" turns the list off.
     */
    public List<String> deniedAdminRoutes() {
        // Registering a DICOMweb server, peer or modality points Orthanc at any host (SSRF, data
        // out). The DICOMweb plugin's root is Orthanc's own setting, so its servers are refused
        // under any root.
        String routes = text("gateway.admin.denied-routes", "POST /tools/shutdown, POST /tools/reset,"
                + " POST /tools/execute-script, PUT /peers/*, PUT /modalities/*, PUT /**/servers/*");
        if (routes.equalsIgnoreCase("none")) {
            return List.of();
        }
        return split(routes);
    }

    /** The largest upload accepted, in bytes. */
    public long maxUploadBytes() {
        return Math.multiplyExact((long) positive("gateway.upload.max-mb", 32 * 1024), 1024L * 1024);
    }

    /** Content-Security-Policy of the viewer's pages; OHIF needs WebAssembly, workers and blob: images. */
    public String viewerContentSecurityPolicy() {
        return text("gateway.headers.viewer-csp", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"
                + " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:;"
                + " connect-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self';"
                + " form-action 'self'; frame-ancestors 'self'");
    }

    /**
     * Content-Security-Policy of the archive console. Orthanc Explorer's one inline script is allowed
     * by hash on top of this (security.SecurityHeaders). Its jQuery 1.7 and jQuery Mobile 1.1 write
     * style attributes and style elements throughout (their feature tests among them), hence inline
     * styles; it needs no data: or blob: image, and is never framed.
     */
    public String adminContentSecurityPolicy() {
        return text("gateway.headers.admin-csp", "default-src 'self'; script-src 'self';"
                + " style-src 'self' 'unsafe-inline'; img-src 'self'; object-src 'none'; base-uri 'self';"
                + " form-action 'self'; frame-ancestors 'none'");
    }

    /** Strict-Transport-Security max-age for answers over HTTPS; 0 leaves the header out. */
    public long hstsMaxAgeSeconds() {
        return zeroOrPositive("gateway.headers.hsts-max-age", 31_536_000);
    }

    /**
     * The name of this gateway among several, as its metrics carry it in their {@code node} label;
     * the host name by default.
     */
    public String nodeName() {
        return label("gateway.node-name").orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
    }

    /**
     * The directory the server's realm checks logins against (gateway.realm=ldap); empty with the
     * file realm (the default). The server's realm itself is created from the same settings when
     * the server starts (tools.start.RealmCommands, which checks them thoroughly).
     */
    public Optional<DirectorySettings> directory() {
        String realm = text("gateway.realm", "file");
        if (realm.equals("file")) {
            return Optional.empty();
        }
        if (!realm.equals("ldap")) {
            throw new IllegalArgumentException("gateway.realm must be file or ldap, got: " + realm);
        }
        List<String> urls = List.of(text("gateway.ldap.url", "").split("\\s+"));
        if (urls.stream().anyMatch(url -> !url.matches("(?i)ldaps?://[^/\\s]+/?"))) {
            throw new IllegalArgumentException("gateway.ldap.url must list ldaps:// or ldap:// URLs, got: " + urls);
        }
        String userBase = source.apply("gateway.ldap.user-base").orElseThrow(() -> new IllegalArgumentException(
                "gateway.ldap.user-base must name the entry below which users are found"));
        String userFilter = text("gateway.ldap.user-filter", DirectorySettings.DEFAULT_USER_FILTER);
        if (!userFilter.contains("%s")) {
            throw new IllegalArgumentException("gateway.ldap.user-filter must hold %s for the name typed, got: " + userFilter);
        }
        return Optional.of(new DirectorySettings(urls, source.apply("gateway.ldap.bind-dn"),
                source.apply("gateway.ldap.bind-password"), userBase, userFilter,
                positive("gateway.ldap.connect-timeout-ms", DirectorySettings.DEFAULT_CONNECT_TIMEOUT_MILLIS),
                positive("gateway.ldap.read-timeout-ms", DirectorySettings.DEFAULT_READ_TIMEOUT_MILLIS)));
    }

    /** Whether the gateway keeps metadata and study list answers (see the cache package). */
    public boolean cacheEnabled() {
        return bool("gateway.cache.enabled", true);
    }

    /**
     * The most memory the kept answers may take, in bytes ({@code gateway.cache.max-mb}); by default
     * an eighth of the JVM's largest heap, so the default fits whatever heap the server was given.
     */
    public long cacheLimitBytes() {
        long eighthOfHeapMb = Math.max(1, Runtime.getRuntime().maxMemory() / 8 / (1024 * 1024));
        return positive("gateway.cache.max-mb", (int) Math.min(Integer.MAX_VALUE, eighthOfHeapMb)) * 1024L * 1024;
    }

    /** How often the cache reads Orthanc's change feed when no request asks it to. */
    public int cacheFeedIntervalMillis() {
        return positive("gateway.cache.feed-interval-ms", 1_000);
    }

    /** Whether series metadata is computed as soon as Orthanc reports a series stable. */
    public boolean cachePrecompute() {
        return bool("gateway.cache.precompute", true);
    }

    /**
     * The grid addresses (host:port) of every gateway that shares login failures with this one,
     * this one included; empty (the default): this gateway runs alone, without a data grid.
     */
    public List<String> clusterMembers() {
        List<String> members = commaSeparated("gateway.cluster.members", "");
        for (String member : members) {
            int colon = member.lastIndexOf(':');
            String port = member.substring(colon + 1);
            if (colon <= 0 || !member.substring(0, colon).matches("[A-Za-z0-9.-]+") || !port.matches("[0-9]{1,5}")
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
                throw new IllegalArgumentException(EnvironmentName.both("gateway.cluster.members")
                        + " must list host:port of every gateway, comma-separated, got: " + member);
            }
        }
        if (new LinkedHashSet<>(members).size() < members.size()) {
            throw new IllegalArgumentException(EnvironmentName.both("gateway.cluster.members")
                    + " names a member twice: " + members);
        }
        return members;
    }

    private List<String> commaSeparated(String key, String fallback) {
        return split(text(key, fallback));
    }

    private static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    private String text(String key, String fallback) {
        return source.apply(key).orElse(fallback);
    }

    private boolean bool(String key, boolean fallback) {
        return SettingValues.bool(key, text(key, Boolean.toString(fallback)));
    }

    /** One line of text for people to read: no control characters, and short enough for a header. */
    private Optional<String> label(String key) {
        Optional<String> value = source.apply(key);
        value.ifPresent(text -> {
            if (text.codePoints().anyMatch(Character::isISOControl) || text.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException(EnvironmentName.both(key) + " must be one line of at most " + MAX_LABEL_LENGTH
                        + " characters, got: " + text);
            }
        });
        return value;
    }

    private int positive(String key, int fallback) {
        return positive(key, text(key, Integer.toString(fallback)));
    }

    private int positive(String key, String value) {
        return SettingValues.positive(key, value);
    }

    /** A positive number, or 0 for "off". */
    private int zeroOrPositive(String key, int fallback) {
        String value = text(key, Integer.toString(fallback));
        return value.equals("0") ? 0 : positive(key, value);
    }
}
