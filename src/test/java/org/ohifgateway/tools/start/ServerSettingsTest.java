package org.ohifgateway.tools.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsTest {

    private static final String SECRET = "0123456789abcdef0123";

    @TempDir
    static Path dir;
    private static Path keystore;

    /** A keystore made the way the README tells administrators to, with keytool. */
    @BeforeAll
    static void keystore() throws IOException, InterruptedException {
        keystore = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-alias", "gateway",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "400",
                "-storepass", "right-password", "-keypass", "right-password").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
    }

    private static ServerSettings settings(Map<String, String> values) {
        return new ServerSettings(key -> Optional.ofNullable(values.get(key)));
    }

    private static Map<String, String> https(String password, String alias) {
        Map<String, String> values = new HashMap<>(Map.of("gateway.https-enabled", "true",
                "gateway.keystore", keystore.toString(), "gateway.keystore-password", password));
        if (alias != null) {
            values.put("gateway.key-alias", alias);
        }
        return values;
    }

    private static String problem(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> settings(values).bootEnvironment()).getMessage();
    }

    @Test
    void defaultsListenOnLoopbackWithoutHttps() {
        Map<String, String> boot = settings(Map.of()).bootEnvironment();
        assertEquals("127.0.0.1", boot.get("GATEWAY_BIND_ADDRESS"));
        assertEquals("false", boot.get("GATEWAY_HTTPS_ENABLED"));
        assertEquals("http-listener", boot.get("GATEWAY_HTTP"));
        assertEquals("30", boot.get("GATEWAY_IDLE_TIMEOUT_SECONDS"));
        assertEquals(8080, settings(Map.of()).httpPort());
        assertEquals("/", settings(Map.of()).contextRoot());
    }

    @Test
    void aGoodKeystoreIsHandedToTheServer() {
        Map<String, String> values = https("right-password", null);
        values.put("gateway.http", "redirect");
        Map<String, String> boot = settings(values).bootEnvironment();
        assertEquals(keystore.toAbsolutePath().toString(), boot.get("GATEWAY_KEYSTORE"));
        assertEquals("right-password", boot.get("GATEWAY_KEYSTORE_PASSWORD"));
        assertEquals("gateway", boot.get("GATEWAY_KEY_ALIAS"));
        assertEquals("redirect", boot.get("GATEWAY_HTTP"));
    }

    @Test
    void aWrongKeystorePasswordIsNamedAtOnce() {
        assertEquals("gateway.keystore-password (GATEWAY_KEYSTORE_PASSWORD) does not open the keystore " + keystore,
                problem(https("wrong-password", null)));
    }

    @Test
    void aWrongAliasListsTheAliasesThere() {
        assertEquals("gateway.key-alias (GATEWAY_KEY_ALIAS) names no key in " + keystore + "; it holds: gateway",
                problem(https("right-password", "tomcat")));
    }

    @Test
    void aFileThatIsNoKeystore() throws IOException {
        Path notAKeystore = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Map<String, String> values = https("right-password", null);
        values.put("gateway.keystore", notAKeystore.toString());
        assertTrue(problem(values).startsWith("gateway.keystore (GATEWAY_KEYSTORE) names " + notAKeystore
                + ", which cannot be read as a PKCS12 or JKS keystore"), problem(values));
        values.put("gateway.keystore", dir.resolve("missing.p12").toString());
        assertEquals("gateway.keystore (GATEWAY_KEYSTORE) names " + dir.resolve("missing.p12")
                + ", which is not a readable file", problem(values));
    }

    @Test
    void httpsWithoutKeystoreOrPassword() {
        assertEquals("gateway.keystore (GATEWAY_KEYSTORE) is not set, but HTTPS is on (gateway.https-enabled)",
                problem(Map.of("gateway.https-enabled", "true")));
        assertEquals("gateway.keystore-password (GATEWAY_KEYSTORE_PASSWORD) is not set"
                        + " (or give gateway.keystore-password-file)",
                problem(Map.of("gateway.https-enabled", "true", "gateway.keystore", keystore.toString())));
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("gateway.bind-address (GATEWAY_BIND_ADDRESS) is not an address of this machine: no-such-host.invalid",
                problem(Map.of("gateway.bind-address", "no-such-host.invalid")));
        assertEquals("gateway.https-enabled (GATEWAY_HTTPS_ENABLED) must be true or false, got: yes",
                problem(Map.of("gateway.https-enabled", "yes")));
        assertEquals("gateway.https-port (GATEWAY_HTTPS_PORT) must be a port number (1-65535), got: 70000",
                problem(Map.of("gateway.https-port", "70000")));
        assertEquals("gateway.idle-timeout-seconds (GATEWAY_IDLE_TIMEOUT_SECONDS) must be a positive whole number,"
                + " got: 0", problem(Map.of("gateway.idle-timeout-seconds", "0")));
        assertEquals("gateway.http (GATEWAY_HTTP) is redirect, but HTTPS is off (gateway.https-enabled)",
                problem(Map.of("gateway.http", "redirect")));
        assertEquals("gateway.http (GATEWAY_HTTP) must be serve or redirect, got: https",
                problem(Map.of("gateway.http", "https")));
        assertEquals("gateway.context-root (GATEWAY_CONTEXT_ROOT) must be / or a path such as /ohif, got: ohif",
                assertThrows(IllegalArgumentException.class,
                        () -> settings(Map.of("gateway.context-root", "ohif")).contextRoot()).getMessage());
        assertEquals("/ohif", settings(Map.of("gateway.context-root", "/ohif/")).contextRoot());
    }

    @Test
    void underASubPathTheServersOwnHealthEndpointIsOff() {
        assertEquals(List.of(), settings(Map.of()).preBootCommands(), "at the root the WAR's login covers it");
        assertEquals(List.of("set-microprofile-healthcheck-configuration --enabled=false"),
                settings(Map.of("gateway.context-root", "/ohif")).preBootCommands());
    }

    @Test
    void aPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            String message = assertThrows(IllegalArgumentException.class,
                    () -> settings(Map.of("gateway.port", port)).checkPortsFree()).getMessage();
            assertTrue(message.startsWith("gateway.port (GATEWAY_PORT) " + port + " on 127.0.0.1 cannot be listened on"),
                    message);
            String httpPort;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                httpPort = Integer.toString(free.getLocalPort());
            }
            String gridMessage = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("gateway.port", httpPort,
                    "gateway.cluster.members", "127.0.0.1:" + port, "gateway.cluster.port", port)).checkPortsFree()).getMessage();
            assertTrue(gridMessage.startsWith("gateway.cluster.port (GATEWAY_CLUSTER_PORT) " + port), gridMessage);
        }
    }

    @Test
    void jvmOptionsAreSplitOnSpaces() {
        assertEquals(List.of("-Xmx1g", "-XX:+UseG1GC"),
                settings(Map.of("gateway.jvm-options", " -Xmx1g  -XX:+UseG1GC ")).jvmOptions());
        assertEquals(List.of(), settings(Map.of()).jvmOptions());
    }

    @Test
    void withoutMembersTheServerRunsWithoutAGrid() {
        assertEquals(List.of("--nohazelcast"), settings(Map.of()).gridOptions());
        assertEquals(List.of(), settings(Map.of()).gridJvmOptions());
        assertEquals(Map.of(), settings(Map.of()).gridSystemProperties());
    }

    @Test
    void membersStartAGridOnTheBindAddressOnly() {
        ServerSettings grid = settings(Map.of("gateway.cluster.members", "127.0.0.1:6900, localhost:6910",
                "gateway.cluster.name", "radiology", "gateway.cluster.secret", SECRET));
        List<String> options = grid.gridOptions();
        assertEquals(List.of("--clustermode", "tcpip:127.0.0.1:6900,localhost:6910", "--interfaces", "127.0.0.1",
                "--startport", "6900"), options);
        assertEquals(List.of("-Dhazelcast.socket.bind.any=false"), grid.gridJvmOptions());
        assertTrue(grid.warnings().get(0).contains("firewall"), grid.warnings().toString());
        // The name Hazelcast sees goes to the system properties file: the command line is public on the machine.
        String gridName = grid.gridSystemProperties().get("payaramicro.clusterName");
        assertTrue(gridName.matches("radiology-[0-9a-f]{32}"), gridName);
        assertFalse(String.join(" ", options).contains(gridName), options.toString());
    }

    @Test
    void theGridsNameNeedsTheSecretAndDoesNotShowIt() {
        String name = ServerSettings.gridName("radiology", SECRET);
        assertEquals(name, ServerSettings.gridName("radiology", SECRET));
        assertNotEquals(name, ServerSettings.gridName("radiology", SECRET + "x"));
        assertNotEquals(name.substring(name.indexOf('-')), ServerSettings.gridName("cardiology", SECRET).substring("cardiology".length()));
        assertFalse(name.contains(SECRET), name);
        // HMAC-SHA256 of "ohif-gateway" keyed with "abc", by openssl dgst -sha256 -hmac abc.
        assertEquals("ohif-gateway-6c31055463aa5fa22edcd46857c725fd", ServerSettings.gridName("ohif-gateway", "abc"));
    }

    @Test
    void gridMistakesAreNamed() {
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1:6901,127.0.0.2:6900"))
                .startsWith("gateway.cluster.members (GATEWAY_CLUSTER_MEMBERS) must list this gateway too (127.0.0.1:6900"));
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1"))
                .contains("must list host:port of every gateway"));
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1:6900,127.0.0.1:6900"))
                .contains("names a member twice"));
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1:6900", "gateway.bind-address", "0.0.0.0"))
                .startsWith("gateway.cluster.interface (GATEWAY_CLUSTER_INTERFACE) must be one address of this machine"));
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1:6900", "gateway.cluster.name", "a b"))
                .startsWith("gateway.cluster.name (GATEWAY_CLUSTER_NAME) must be letters"));
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1:70000")).contains("host:port"));
        assertTrue(gridProblem(Map.of("gateway.cluster.members", "127.0.0.1:6900", "gateway.cluster.secret", "short"))
                .startsWith("gateway.cluster.secret (GATEWAY_CLUSTER_SECRET) must be at least 16 characters long, got 5"));
        assertTrue(gridProblemOf(Map.of("gateway.cluster.members", "127.0.0.1:6900"))
                .startsWith("gateway.cluster.secret (GATEWAY_CLUSTER_SECRET) is required with gateway.cluster.members"));
    }

    private static String gridProblem(Map<String, String> values) {
        Map<String, String> withSecret = new HashMap<>(Map.of("gateway.cluster.secret", SECRET));
        withSecret.putAll(values);
        return gridProblemOf(withSecret);
    }

    private static String gridProblemOf(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> {
            ServerSettings settings = settings(values);
            settings.gridOptions();
            settings.gridSystemProperties();
        }).getMessage();
    }
}
