package org.ohifgateway.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every setting the gateway reads, with its default. Values come from MicroProfile Config, so
 * each key can be given as a system property, in microprofile-config.properties, or as an
 * environment variable (upper case, dots and dashes as underscores: {@code orthanc.url} is
 * {@code ORTHANC_URL}).
 */
public final class GatewayConfig {

    private final Function<String, Optional<String>> source;

    public GatewayConfig(Function<String, Optional<String>> source) {
        this.source = source;
    }

    public static GatewayConfig fromMicroProfile() {
        var config = ConfigProvider.getConfig(GatewayConfig.class.getClassLoader());
        return new GatewayConfig(key -> config.getOptionalValue(key, String.class)
                .map(String::trim).filter(value -> !value.isEmpty()));
    }

    /** Base URL of the Orthanc server, without a trailing slash. */
    public URI orthancUrl() {
        String url = text("orthanc.url", "http://127.0.0.1:8042").replaceAll("/+$", "");
        URI uri = URI.create(url);
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("orthanc.url must be an http:// or https:// URL, got: " + url);
        }
        return uri;
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
     * Orthanc's {@code DicomWeb.Root}. Without a URL rewrite it must equal the public path of the
     * DICOMweb route, which is the default.
     */
    public String dicomWebRoot(String contextPath) {
        String root = text("orthanc.dicomweb.root", contextPath + "/pacs/");
        return (root.startsWith("/") ? "" : "/") + root + (root.endsWith("/") ? "" : "/");
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
        Set<String> syntaxes = new TreeSet<>();
        for (String syntax : text("gateway.dicomweb.transfer-syntaxes", "*,1.2.840.10008.1.2.1").split(",")) {
            if (!syntax.isBlank()) {
                syntaxes.add(syntax.trim());
            }
        }
        return syntaxes;
    }

    /** When true, the viewer's static files are served without login; /pacs stays protected. */
    public boolean viewerFilesPublic() {
        return Boolean.parseBoolean(text("gateway.viewer.public", "false"));
    }

    private String text(String key, String fallback) {
        return source.apply(key).orElse(fallback);
    }

    private int positive(String key, int fallback) {
        String value = text(key, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key's name
        }
        throw new IllegalArgumentException(key + " must be a positive whole number, got: " + value);
    }
}
