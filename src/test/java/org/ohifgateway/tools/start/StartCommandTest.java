package org.ohifgateway.tools.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(Map<String, String> environment) {
        return StartCommand.check(new String[0], environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> withUsersFile() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("GATEWAY_USERS_FILE", Files.writeString(dir.resolve("users"), "").toString());
        return environment;
    }

    @Test
    void wildFlysConfigurationIsFoundWhereJbossCliWritesIt() {
        Path home = Path.of("/opt/wildfly");
        assertEquals(home.resolve("standalone/configuration"), StartCommand.wildFlyConfiguration(Map.of(), home));
        assertEquals(Path.of("/srv/gateway/configuration"), StartCommand.wildFlyConfiguration(
                Map.of("JAVA_OPTS", " -Xmx1g  -Djboss.server.base.dir=/srv/gateway"), home));
        assertEquals(Path.of("/etc/gateway"), StartCommand.wildFlyConfiguration(Map.of("JAVA_OPTS",
                "-Djboss.server.config.dir=/etc/gateway -Djboss.server.base.dir=/srv/gateway"), home));
    }

    @Test
    void validSettingsFromTheFileAndTheEnvironment() throws Exception {
        Path settings = Files.writeString(dir.resolve("gateway.properties"), """
                gateway.port = 9090
                gateway.context-root = /ohif
                orthanc.url = http://127.0.0.1:8042
                """);
        Map<String, String> environment = withUsersFile();
        environment.put("GATEWAY_SETTINGS", settings.toString());
        environment.put("GATEWAY_PORT", "9191");
        assertEquals(0, check(environment), err());
        assertEquals("ohif-gateway: settings are valid (environment and " + settings + ")\n"
                + "ohif-gateway: http://127.0.0.1:9191/ohif/\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err());
    }

    @Test
    void aBadSettingOfTheGatewayStopsTheStartWithOneLine() throws Exception {
        Map<String, String> environment = withUsersFile();
        environment.put("GATEWAY_UPLOAD_MAX_MB", "lots");
        assertEquals(2, check(environment));
        assertEquals("ohif-gateway: gateway.upload.max-mb (GATEWAY_UPLOAD_MAX_MB) must be a positive whole number, got: lots\n", err());
    }

    @Test
    void aMalformedListOfOrthancNodesStopsTheStartWithOneLine() throws Exception {
        Map<String, String> environment = withUsersFile();
        environment.put("ORTHANC_URL", "http://10.0.0.1:8042,10.0.0.2:8042");
        assertEquals(2, check(environment));
        assertEquals("ohif-gateway: orthanc.url (ORTHANC_URL) must be an http:// or https:// URL, got: 10.0.0.2:8042\n",
                err());

        err.reset();
        environment.put("ORTHANC_URL", "http://10.0.0.1:8042,http://10.0.0.2:8042");
        environment.put("GATEWAY_UPSTREAM_CHECK_INTERVAL_MS", "2000");
        environment.put("ORTHANC_ADMIN_URL", "http://10.0.0.2:8042");
        assertEquals(0, check(environment), err());
    }

    @Test
    void aMistypedKeyInTheFileIsPointedOut() throws Exception {
        Path settings = Files.writeString(dir.resolve("gateway.properties"), "orthanc.ulr = http://x\n");
        Map<String, String> environment = withUsersFile();
        environment.put("GATEWAY_SETTINGS", settings.toString());
        assertEquals(0, check(environment));
        assertEquals("ohif-gateway: warning: the settings file " + settings
                + " names orthanc.ulr, which is not a setting of the gateway\n", err());
    }

    @Test
    void aSettingsFileWithPasswordsThatOthersCanRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("orthanc-password"), "pw\n");
        Path settings = Files.writeString(dir.resolve("gateway.properties"),
                "orthanc.username = gateway\nORTHANC_PASSWORD = pw\n");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> environment = withUsersFile();
        environment.put("GATEWAY_SETTINGS", settings.toString());
        assertEquals(0, check(environment));
        assertEquals("ohif-gateway: warning: " + settings + " holds passwords and others can read it (chmod 600 "
                + settings + ")\n", err());

        Files.writeString(settings, "orthanc.username = gateway\northanc.password-file = " + secret + "\n");
        err.reset();
        assertEquals(0, check(environment));
        assertEquals("", err());
    }

    @Test
    void secretsAreNeverPrinted() throws Exception {
        Map<String, String> environment = withUsersFile();
        environment.put("ORTHANC_USERNAME", "gateway");
        environment.put("ORTHANC_PASSWORD", "very-secret-value");
        environment.put("GATEWAY_UPLOAD_MAX_MB", "-1");
        assertEquals(2, check(environment));
        assertFalse(err().contains("very-secret-value"), err());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("very-secret-value"));
    }

    @Test
    void noUsersFileNoStart() {
        assertEquals(2, check(Map.of()));
        assertTrue(err().startsWith("ohif-gateway: gateway.users-file (GATEWAY_USERS_FILE) is not set"), err());
    }

    @Test
    void aDirectoryNeedsNoUsersFileAndABadDirectorySettingStopsTheStartWithOneLine() {
        Map<String, String> environment = new HashMap<>(Map.of("GATEWAY_REALM", "ldap",
                "GATEWAY_LDAP_URL", "ldaps://dc1.hospital.example", "GATEWAY_LDAP_USER_BASE", "ou=people,dc=hospital,dc=example",
                "GATEWAY_ROLES_VIEWER", "cn=pacs-readers,ou=people,dc=hospital,dc=example"));
        assertEquals(0, check(environment), err());
        environment.put("GATEWAY_LDAP_START_TLS", "true");
        assertEquals(2, check(environment));
        assertEquals("ohif-gateway: gateway.ldap.start-tls (GATEWAY_LDAP_START_TLS) cannot be true: Payara's LDAP realm"
                + " does not use StartTLS; use ldaps:// directory URLs instead\n", err());
    }
}
