package org.ohifgateway.tools.start;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.ohifgateway.config.EnvironmentName;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.config.SettingValues;

/**
 * What the application server needs before the gateway runs: where it listens, its certificate,
 * timeouts. Each setting is checked here, so that a mistake stops the start with
 * one line naming it instead of surfacing later as failed handshakes or refused logins.
 */
final class ServerSettings {

    /** Shortest grid secret taken: 16 characters of hex are 64 bits, out of reach of guessing over a network. */
    private static final int MIN_GRID_SECRET = 16;

    private final Function<String, Optional<String>> settings;
    private final List<String> warnings = new ArrayList<>();

    ServerSettings(Function<String, Optional<String>> settings) {
        this.settings = settings;
    }

    /** The address the listeners bind: loopback unless told otherwise. */
    String bindAddress() {
        String address = text("gateway.bind-address", "127.0.0.1");
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw SettingValues.invalid("gateway.bind-address", "is not an address of this machine: " + address);
        }
        return address;
    }

    int httpPort() {
        return port("gateway.port", 8080);
    }

    boolean httpsEnabled() {
        return bool("gateway.https-enabled", false);
    }

    int httpsPort() {
        return port("gateway.https-port", 8443);
    }

    /** What the plain HTTP port does: serve the gateway, or redirect every request to HTTPS. */
    boolean redirectToHttps() {
        String mode = text("gateway.http", "serve");
        if (mode.equals("redirect") && !httpsEnabled()) {
            throw SettingValues.invalid("gateway.http", "is redirect, but HTTPS is off (gateway.https-enabled)");
        }
        if (mode.equals("redirect") || mode.equals("serve")) {
            return mode.equals("redirect");
        }
        throw SettingValues.invalid("gateway.http", "must be serve or redirect, got: " + mode);
    }

    String contextRoot() {
        String root = text("gateway.context-root", "/");
        if (!root.matches("/|(/[A-Za-z0-9._~-]+)+/?") || root.contains("/./") || root.contains("/../")) {
            throw SettingValues.invalid("gateway.context-root", "must be / or a path such as /ohif, got: " + root);
        }
        return root.length() > 1 && root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    int idleTimeoutSeconds() {
        return positive("gateway.idle-timeout-seconds", 30);
    }

    int bodyTimeoutMillis() {
        return positive("gateway.body-timeout-millis", 30_000);
    }

    /**
     * Boot commands that depend on the settings, after the fixed ones of pre-boot.asadmin. Under
     * a sub-path, Payara serves its health endpoint at the server root by itself, outside the
     * gateway's login and roles, with the readiness details: it is switched off there.
     */
    List<String> preBootCommands() {
        return contextRoot().equals("/") ? List.of() : List.of("set-microprofile-healthcheck-configuration --enabled=false");
    }

    /** Options for the server's JVM, such as {@code -Xmx1g}; never a place for passwords. */
    List<String> jvmOptions() {
        return settings.apply("gateway.jvm-options").map(options -> Arrays.stream(options.split("\\s+"))
                .filter(option -> !option.isEmpty()).toList()).orElse(List.of());
    }

    /**
     * Payara Micro's data grid options: with gateway.cluster.members, a Hazelcast member that
     * finds the listed gateways over TCP (no multicast) and listens on one interface only; without
     * it, no Hazelcast at all (no grid threads, no grid port). The grid's name is not among them:
     * it holds the secret (see {@link #gridSystemProperties()}).
     */
    List<String> gridOptions() {
        List<String> members = new GatewayConfig(settings).clusterMembers();
        if (members.isEmpty()) {
            // Alone: with --nocluster as well, Payara Micro 6.2025.10 still starts a Hazelcast member
            // listening on every interface; --nohazelcast alone starts none.
            return List.of("--nohazelcast");
        }
        String gridInterface = gridInterface();
        int port = gridPort();
        if (members.stream().noneMatch(member -> isAddress(member, gridInterface, port))) {
            throw SettingValues.invalid("gateway.cluster.members", "must list this gateway too (" + gridInterface + ":" + port
                    + ", from gateway.cluster.interface and gateway.cluster.port), got: " + String.join(",", members));
        }
        warnings.add("the data grid on " + gridInterface + ":" + port + " takes in any machine that reaches it and"
                + " knows the grid's secret, which crosses the network unencrypted when a member joins: let only the"
                + " listed members reach that port (firewall)");
        return List.of("--clustermode", "tcpip:" + String.join(",", members), "--interfaces", gridInterface,
                "--startport", Integer.toString(port));
    }

    /**
     * The grid's name for Payara Micro's system properties file, never its command line, which
     * every local user can read. Hazelcast (open source) has no password: it refuses a member or
     * client only for another cluster name. So the name Hazelcast sees is gateway.cluster.name
     * followed by a keyed hash of gateway.cluster.secret, which only gateways given the secret
     * can compute; the secret itself appears nowhere, not even in Payara's log of the grid's name.
     */
    Map<String, String> gridSystemProperties() {
        if (new GatewayConfig(settings).clusterMembers().isEmpty()) {
            return Map.of();
        }
        String name = text("gateway.cluster.name", "ohif-gateway");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw SettingValues.invalid("gateway.cluster.name", "must be letters, digits, dots, dashes or underscores, got: " + name);
        }
        String secret = settings.apply("gateway.cluster.secret").orElseThrow(() -> SettingValues.invalid("gateway.cluster.secret",
                "is required with gateway.cluster.members: the same random text of at least " + MIN_GRID_SECRET
                        + " characters on every gateway (for example from openssl rand -hex 32)"));
        if (secret.length() < MIN_GRID_SECRET) {
            throw SettingValues.invalid("gateway.cluster.secret", "must be at least " + MIN_GRID_SECRET
                    + " characters long, got " + secret.length());
        }
        return Map.of("payaramicro.clusterName", gridName(name, secret));
    }

    /** The cluster name Hazelcast sees: the name, a dash, and 128 bits of HMAC-SHA256(secret, name) in hex. */
    static String gridName(String name, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The JVM options the grid needs: Hazelcast binds every interface unless told not to. */
    List<String> gridJvmOptions() {
        return new GatewayConfig(settings).clusterMembers().isEmpty() ? List.of()
                : List.of("-Dhazelcast.socket.bind.any=false");
    }

    int gridPort() {
        return port("gateway.cluster.port", 6900);
    }

    /** The one address the grid listens on: gateway.cluster.interface, else the HTTP bind address. */
    String gridInterface() {
        String key = settings.apply("gateway.cluster.interface").isPresent() ? "gateway.cluster.interface"
                : "gateway.bind-address";
        String address = key.equals("gateway.bind-address") ? bindAddress() : text(key, "");
        InetAddress inet;
        try {
            inet = InetAddress.getByName(address);
            if (inet.isAnyLocalAddress() || NetworkInterface.getByInetAddress(inet) == null) {
                throw SettingValues.invalid("gateway.cluster.interface", "must be one address of this machine for the data grid"
                        + " (" + EnvironmentName.both(key) + " is " + address + ")");
            }
        } catch (IOException e) {
            throw SettingValues.invalid("gateway.cluster.interface", "is not an address of this machine: " + address);
        }
        // Hazelcast matches its interfaces by IP address, not by name.
        return inet.getHostAddress();
    }

    private static boolean isAddress(String member, String address, int port) {
        int colon = member.lastIndexOf(':');
        try {
            InetAddress own = InetAddress.getByName(address);
            return Integer.parseInt(member.substring(colon + 1)) == port
                    && Arrays.asList(InetAddress.getAllByName(member.substring(0, colon))).contains(own);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The HTTPS keystore, opened with its password and holding the key under its alias: checked now. */
    Optional<Keystore> keystore() {
        if (!httpsEnabled()) {
            return Optional.empty();
        }
        Path file = Path.of(settings.apply("gateway.keystore").orElseThrow(() -> SettingValues.invalid("gateway.keystore",
                "is not set, but HTTPS is on (gateway.https-enabled)")));
        String password = settings.apply("gateway.keystore-password").orElseThrow(() -> SettingValues.invalid(
                "gateway.keystore-password", "is not set (or give gateway.keystore-password-file)"));
        String alias = text("gateway.key-alias", "gateway");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw SettingValues.invalid("gateway.keystore", "names " + file + ", which is not a readable file");
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
            throw wrongPassword ? SettingValues.invalid("gateway.keystore-password", "does not open the keystore " + file)
                    : SettingValues.invalid("gateway.keystore", "names " + file + ", which cannot be read as a PKCS12 or JKS"
                    + " keystore: " + e.getMessage());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw SettingValues.invalid("gateway.keystore", "names " + file + ", which cannot be read as a PKCS12 or JKS"
                    + " keystore: " + e.getMessage());
        }
        try {
            if (!store.isKeyEntry(alias)) {
                throw SettingValues.invalid("gateway.key-alias", "names no key in " + file + "; it holds: "
                        + String.join(", ", Collections.list(store.aliases())));
            }
            store.getKey(alias, password.toCharArray());
            if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                Instant notAfter = certificate.getNotAfter().toInstant();
                if (notAfter.isBefore(Instant.now())) {
                    warnings.add("the HTTPS certificate in " + file + " expired on " + notAfter
                            + ": browsers will refuse it");
                } else if (notAfter.isBefore(Instant.now().plus(30, ChronoUnit.DAYS))) {
                    warnings.add("the HTTPS certificate in " + file + " expires on " + notAfter);
                }
            }
        } catch (GeneralSecurityException e) {
            throw SettingValues.invalid("gateway.keystore-password", "does not open the key " + alias + " in " + file
                    + " (the key's password must equal the keystore's)");
        }
        return Optional.of(new Keystore(file.toAbsolutePath(), password, alias));
    }

    /** Every port is free on the bind address, checked now rather than as a failed boot. */
    void checkPortsFree() {
        String address = bindAddress();
        checkFree("gateway.port", address, httpPort());
        if (httpsEnabled()) {
            checkFree("gateway.https-port", address, httpsPort());
        }
        if (!new GatewayConfig(settings).clusterMembers().isEmpty()) {
            checkFree("gateway.cluster.port", gridInterface(), gridPort());
        }
    }

    /**
     * The variables the server's boot commands read (deploy/payara/pre-boot.asadmin), with each
     * setting's checked value, so the commands see exactly what was checked here.
     */
    Map<String, String> bootEnvironment() {
        Map<String, String> environment = listenerEnvironment();
        environment.put("GATEWAY_HTTPS_ENABLED", Boolean.toString(httpsEnabled()));
        environment.put("GATEWAY_HTTP", redirectToHttps() ? "redirect" : "http-listener");
        environment.put("GATEWAY_IDLE_TIMEOUT_SECONDS", Integer.toString(idleTimeoutSeconds()));
        return environment;
    }

    /**
     * The variables deploy/wildfly/ohif-gateway.cli reads at each boot, with each setting's
     * checked value: wildfly-setup makes them the defaults of those variables.
     */
    Map<String, String> wildFlyEnvironment() {
        Map<String, String> environment = listenerEnvironment();
        environment.put("GATEWAY_PORT", Integer.toString(httpPort()));
        environment.put("GATEWAY_HTTP", redirectToHttps() ? "redirect" : "serve");
        environment.put("GATEWAY_IDLE_TIMEOUT_MILLIS", Long.toString(idleTimeoutSeconds() * 1000L));
        return environment;
    }

    private Map<String, String> listenerEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GATEWAY_BIND_ADDRESS", bindAddress());
        environment.put("GATEWAY_HTTPS_PORT", Integer.toString(httpsPort()));
        environment.put("GATEWAY_BODY_TIMEOUT_MILLIS", Integer.toString(bodyTimeoutMillis()));
        keystore().ifPresent(keystore -> {
            environment.put("GATEWAY_KEYSTORE", keystore.file().toString());
            environment.put("GATEWAY_KEYSTORE_PASSWORD", keystore.password());
            environment.put("GATEWAY_KEY_ALIAS", keystore.alias());
        });
        return environment;
    }

    /** Things worth telling the administrator that do not stop the start. */
    List<String> warnings() {
        return warnings;
    }

    record Keystore(Path file, String password, String alias) {
        @Override
        public String toString() {
            return "Keystore[" + file + ", alias " + alias + "]";
        }
    }

    private void checkFree(String key, String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw SettingValues.invalid(key, port + " on " + address + " cannot be listened on: " + e.getMessage());
        }
    }

    private String text(String key, String fallback) {
        return settings.apply(key).orElse(fallback);
    }

    private boolean bool(String key, boolean fallback) {
        return SettingValues.bool(key, text(key, Boolean.toString(fallback)));
    }

    private int port(String key, int fallback) {
        int port = positive(key, fallback);
        if (port > 65_535) {
            throw SettingValues.invalid(key, "must be a port number (1-65535), got: " + port);
        }
        return port;
    }

    private int positive(String key, int fallback) {
        return SettingValues.positive(key, text(key, Integer.toString(fallback)));
    }
}
