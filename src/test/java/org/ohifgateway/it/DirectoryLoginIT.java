package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.config.EnvironmentName;
import org.ohifgateway.config.SettingsFile;
import org.ohifgateway.tools.demo.Slapd;

/**
 * Logins against a directory: a real slapd over LDAPS with the hospital's own authority, and the
 * gateway on its own Payara Micro, started by the start command, or in the WildFly run
 * (it.server=wildfly) on its own WildFly set up by wildfly-setup, with the settings an
 * administrator writes in a settings file (gateway.realm=ldap, gateway.ldap.*, gateway.roles.*;
 * the bind password in a file), from which it makes the server's realm (RealmCommands) and which
 * the WAR reads too. The directory holds users in the groups mapped to each role (two groups for
 * viewers), a user whose groups are named like a role or like a mapped group but are not the
 * mapped ones, a disabled user, and names with spaces, commas and parentheses. The first
 * directory URL is a dead port: logins go to the second.
 *
 * <p>The tests from order 90 take the directory away (stopped, frozen) and bring it back.
 */
@ExtendWith(GatewayStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryLoginIT {

    private static final String SUFFIX = "dc=hospital,dc=example";
    private static final String PASSWORD = "a-user's-password";
    /** Everything Payara's boot command file and MicroProfile Config might take as syntax, except spaces. */
    private static final String BIND_PASSWORD = "b:nd=pw\"'{1}${HOME}\\x";
    private static final String DICOM_JSON = "application/dicom+json";
    private static final String RADIOLOGIST_DN = "uid=radiologist,ou=Radiology Staff,ou=Staff," + SUFFIX;

    private Path dir;
    private Slapd slapd;
    private ServerProcess server;

    @BeforeAll
    void startDirectoryAndGateway() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "directory");
        GatewayStack.deleteTree(dir.resolve("slapd"));
        slapd = Slapd.create(dir.resolve("slapd"), SUFFIX, String.join("\n",
                "access to attrs=userPassword by anonymous auth by * none",
                "access to * by dn.exact=\"cn=gateway,ou=Service Accounts," + SUFFIX + "\" read by anonymous auth by * none"),
                ldif());
        slapd.start();

        Map<String, String> settings = new HashMap<>();
        settings.put("gateway.realm", "ldap");
        settings.put("gateway.ldap.url", "ldaps://127.0.0.1:" + PayaraMicro.freePort() + " " + slapd.url());
        settings.put("gateway.ldap.user-base", "ou=Staff," + SUFFIX);
        settings.put("gateway.ldap.group-base", "ou=Groups," + SUFFIX);
        settings.put("gateway.ldap.bind-dn", "cn=gateway,ou=Service Accounts," + SUFFIX);
        // A secret in a file of its own, as the hospital's would be.
        Path bindPassword = dir.resolve("bind-password");
        Files.writeString(bindPassword, BIND_PASSWORD + "\n");
        settings.put("gateway.ldap.bind-password-file", bindPassword.toString());
        settings.put("gateway.ldap.trust-store", slapd.trustStore("trust:store=pw").toString());
        settings.put("gateway.ldap.trust-store-password", "trust:store=pw");
        settings.put("gateway.ldap.connect-timeout-ms", "1000");
        settings.put("gateway.ldap.read-timeout-ms", "2000");
        settings.put("gateway.roles.viewer", "cn=PACS-Readers,ou=PACS Groups,ou=Groups," + SUFFIX
                + "; cn=Radiology-Residents,ou=PACS Groups,ou=Groups," + SUFFIX);
        settings.put("gateway.roles.uploader", "cn=PACS-Uploaders,ou=PACS Groups,ou=Groups," + SUFFIX);
        settings.put("gateway.roles.admin", "cn=PACS-Admins,ou=PACS Groups,ou=Groups," + SUFFIX);
        settings.put("gateway.roles.monitor", "cn=PACS-Monitoring,ou=PACS Groups,ou=Groups," + SUFFIX);
        // As a hospital writes them: a settings file, readable by its owner only (no GATEWAY_REALM
        // or other directory setting is in the test's environment, so the file's take effect).
        Path settingsFile = dir.resolve("gateway.properties");
        Files.write(settingsFile, settings.entrySet().stream().map(setting -> setting.getKey() + " = "
                + setting.getValue().replace("\\", "\\\\")).toList());
        Files.setPosixFilePermissions(settingsFile, PosixFilePermissions.fromString("rw-------"));
        // The environment of the test run names an audit file of its own, which would win over the file.
        Map<String, String> environment = Map.of(SettingsFile.VARIABLE, settingsFile.toString(),
                EnvironmentName.of("gateway.audit.file"), dir.resolve("audit.%g.log").toString());
        Path war = Path.of(System.getProperty("it.war"));
        server = SharedGateway.SERVER.equals("wildfly") ? WildFly.startAndAwaitLogin(war, dir, List.of(), environment)
                : PayaraMicro.startAndAwaitLogin(war, "/", environment, dir.resolve("payara.log"));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (slapd != null) {
            slapd.close();
        }
    }

    private static String ldif() {
        StringBuilder ldif = new StringBuilder("dn: " + SUFFIX + "\nobjectClass: dcObject\nobjectClass: organization\n"
                + "o: Hospital\ndc: hospital\n");
        for (String unit : List.of("ou=Staff", "ou=Radiology Staff,ou=Staff", "ou=Service Accounts", "ou=Groups",
                "ou=PACS Groups,ou=Groups", "ou=Students,ou=Groups")) {
            ldif.append("\ndn: ").append(unit).append(',').append(SUFFIX).append("\nobjectClass: organizationalUnit\nou: ")
                    .append(unit.substring(3, unit.contains(",") ? unit.indexOf(',') : unit.length())).append('\n');
        }
        ldif.append("\ndn: cn=gateway,ou=Service Accounts,").append(SUFFIX)
                .append("\nobjectClass: person\ncn: gateway\nsn: gateway\nuserPassword: ").append(BIND_PASSWORD).append('\n');
        person(ldif, RADIOLOGIST_DN, "radiologist", "");
        person(ldif, "uid=resident,ou=Staff," + SUFFIX, "resident", "");
        person(ldif, "uid=pacsadmin,ou=Staff," + SUFFIX, "pacsadmin", "");
        person(ldif, "uid=prometheus,ou=Staff," + SUFFIX, "prometheus", "");
        person(ldif, "uid=visitor,ou=Staff," + SUFFIX, "visitor", "");
        person(ldif, "uid=guessed,ou=Staff," + SUFFIX, "guessed", "");
        // Viewers who first log in while the directory is away, so the gateway has kept no login of theirs.
        person(ldif, "uid=oncall,ou=Staff," + SUFFIX, "oncall", "");
        person(ldif, "uid=locum,ou=Staff," + SUFFIX, "locum", "");
        // Disabled: the password policy refuses every bind.
        person(ldif, "uid=leaver,ou=Staff," + SUFFIX, "leaver", "pwdAccountLockedTime: 000001010000Z\n");
        // A DN with a comma and parentheses, which the realm puts into its group filter as it is.
        person(ldif, "cn=Smith\\, Anna (Radiology),ou=Staff," + SUFFIX, "technologist", "");
        group(ldif, "cn=PACS-Readers,ou=PACS Groups,ou=Groups", RADIOLOGIST_DN, "uid=guessed,ou=Staff," + SUFFIX,
                "uid=leaver,ou=Staff," + SUFFIX, "uid=oncall,ou=Staff," + SUFFIX, "uid=locum,ou=Staff," + SUFFIX);
        group(ldif, "cn=Radiology-Residents,ou=PACS Groups,ou=Groups", "uid=resident,ou=Staff," + SUFFIX);
        group(ldif, "cn=PACS-Uploaders,ou=PACS Groups,ou=Groups", "cn=Smith\\, Anna (Radiology),ou=Staff," + SUFFIX);
        group(ldif, "cn=PACS-Admins,ou=PACS Groups,ou=Groups", "uid=pacsadmin,ou=Staff," + SUFFIX);
        group(ldif, "cn=PACS-Monitoring,ou=PACS Groups,ou=Groups", "uid=prometheus,ou=Staff," + SUFFIX);
        // Not mapped: named like a role, and named like the admins' group elsewhere.
        group(ldif, "cn=admin,ou=Groups", "uid=visitor,ou=Staff," + SUFFIX);
        group(ldif, "cn=PACS-Admins,ou=Students,ou=Groups", "uid=visitor,ou=Staff," + SUFFIX);
        return ldif.toString();
    }

    private static void person(StringBuilder ldif, String dn, String uid, String more) {
        String cn = dn.startsWith("cn=") ? dn.substring(3, dn.indexOf(",ou=")).replace("\\", "") : uid;
        ldif.append("\ndn: ").append(dn).append("\nobjectClass: inetOrgPerson\nuid: ").append(uid).append("\ncn: ")
                .append(cn).append("\nsn: ").append(uid).append("\nuserPassword: ").append(PASSWORD).append('\n')
                .append(more);
    }

    private static void group(StringBuilder ldif, String dn, String... members) {
        ldif.append("\ndn: ").append(dn).append(',').append(SUFFIX).append("\nobjectClass: groupOfNames\ncn: ")
                .append(dn.substring(3, dn.indexOf(','))).append('\n');
        for (String member : members) {
            ldif.append("member: ").append(member).append('\n');
        }
    }

    private String gateway() {
        return server.url();
    }

    private static String login(String user) {
        return Http.basic(user, PASSWORD);
    }

    @Test
    @Order(1)
    void directoryGroupsGiveTheRolesAndNothingElseDoes() throws Exception {
        AccessMatrix.check(gateway(), new AccessMatrix.Users(login("radiologist"), login("technologist"),
                login("pacsadmin"), login("visitor")), "radiologist");
        assertEquals(200, Http.get(gateway() + "/pacs/studies", login("resident"), DICOM_JSON).statusCode(),
                "the second group of viewers");
        assertEquals(200, Http.get(gateway() + "/metrics", login("prometheus"), null).statusCode(), "the monitor's group");
        assertEquals(403, Http.get(gateway() + "/pacs/studies", login("prometheus"), DICOM_JSON).statusCode());
        assertEquals(403, Http.get(gateway() + "/metrics", login("pacsadmin"), null).statusCode());
    }

    @Test
    @Order(2)
    void aDisabledOrUnknownUserGets401AndTheServerLogsNoStackTrace() throws Exception {
        assertEquals(401, Http.get(gateway() + "/pacs/studies", login("leaver"), DICOM_JSON).statusCode(),
                "disabled in the directory, right password");
        assertEquals(401, Http.get(gateway() + "/pacs/studies", login("nobody"), DICOM_JSON).statusCode());
        assertEquals(401, Http.get(gateway() + "/pacs/studies", Http.basic("resident", "wrong"), DICOM_JSON).statusCode());
        assertEquals(200, Http.get(gateway() + "/pacs/studies", login("resident"), DICOM_JSON).statusCode());
        String log = server.logText();
        assertTrue(log.contains("failed login for user leaver"), "the gateway's own line");
        assertFalse(log.contains("ldaprealm.exception"), "the realm's 70-line stack trace");
        assertFalse(log.contains("WEB9102"), "the web container's line");
        assertFalse(log.contains("jaspic.loginfail"), "the line of the server's check for the login module");
    }

    @Test
    @Order(2)
    void aUserNameTheRealmWouldLoopOnIsRefusedAtOnce() throws Exception {
        // Payara's LDAP realm replaces %s in its filter with the name from the start again and
        // again: without the gateway's login module in front of it this request never ends.
        assertEquals(401, Http.get(gateway() + "/pacs/studies", Http.basic("x%sy", PASSWORD), DICOM_JSON).statusCode());
        assertEquals(401, Http.get(gateway() + "/", Http.basic("%d", PASSWORD), "text/html").statusCode());
        assertEquals(200, Http.get(gateway() + "/pacs/studies", login("resident"), DICOM_JSON).statusCode());
    }

    @Test
    @Order(3)
    void theAuditTrailNamesTheUserAsTypedAndTheDirectoryEntry() throws Exception {
        HttpResponse<byte[]> allowed = Http.get(gateway() + "/pacs/studies", login("RADIOLOGIST"), DICOM_JSON);
        assertEquals(200, allowed.statusCode(), "the directory matches names in any case");
        HttpResponse<byte[]> refused = Http.get(gateway() + "/pacs/studies", Http.basic("Radiologist", "wrong"), DICOM_JSON);
        assertEquals(401, refused.statusCode());
        assertEquals(200, Http.get(gateway() + "/pacs/studies", login("radiologist"), DICOM_JSON).statusCode());

        JsonObject line = auditLine(allowed);
        assertEquals("RADIOLOGIST", line.getString("user"));
        assertEquals(RADIOLOGIST_DN, line.getString("resolvedUser"));
        assertEquals(1, line.getJsonArray("roles").size());
        assertEquals("viewer", line.getJsonArray("roles").getString(0));
        JsonObject refusedLine = auditLine(refused);
        assertEquals("Radiologist", refusedLine.getString("attemptedUser"));
        assertEquals(RADIOLOGIST_DN, refusedLine.getString("resolvedUser"));
    }

    @Test
    @Order(4)
    void failedLoginsAreSlowedThenRefusedForEverySpellingOfTheUser() throws Exception {
        String url = gateway() + "/pacs/studies";
        // Limits for this deployment (pom.xml): refused after 5 failures, slowed from the 4th by 100 ms steps.
        List<String> spellings = List.of("guessed", "GUESSED", "Guessed", "gUESSED");
        long millis = 0;
        for (String spelling : spellings) {
            long started = System.nanoTime();
            assertEquals(401, Http.get(url, Http.basic(spelling, "not-the-password"), DICOM_JSON).statusCode(), spelling);
            millis = (System.nanoTime() - started) / 1_000_000;
        }
        assertTrue(millis >= 100, "the 4th failure, whatever its spelling, is answered slowly: " + millis + " ms");
        HttpResponse<byte[]> locked = Http.get(url, Http.basic("GuEsSeD", "not-the-password"), DICOM_JSON);
        assertEquals(429, locked.statusCode(), "the 5th failure of one account locks it");
        assertEquals(429, Http.get(url, login("guessed"), DICOM_JSON).statusCode(), "even with the right password");
        assertEquals(200, Http.get(url, login("radiologist"), DICOM_JSON).statusCode(), "other users go on");

        int retryAfter = Integer.parseInt(locked.headers().firstValue("Retry-After").orElseThrow());
        Thread.sleep(retryAfter * 1000L + 300);
        assertEquals(200, Http.get(url, login("Guessed"), DICOM_JSON).statusCode(), "after the cool-down");
    }

    @Test
    @Order(5)
    void readinessReportsTheDirectory() throws Exception {
        HttpResponse<byte[]> health = Http.get(server.healthUrl() + "/ready", login("pacsadmin"), "application/json");
        assertEquals(200, health.statusCode(), Http.text(health));
        assertEquals("reachable", directoryCheck(health).getJsonObject("data").getString("directory"));
        assertEquals("UP", directoryCheck(health).getString("status"));
    }

    @Test
    @Order(90)
    void aStoppedDirectoryGives503NotALockoutAndLoginsComeBackByThemselves() throws Exception {
        assertEquals(200, Http.get(gateway() + "/pacs/studies", login("radiologist"), DICOM_JSON).statusCode());
        try {
            slapd.stop();
            // Payara: a login the directory accepted within gateway.login.cache-seconds goes on.
            assertEquals(SharedGateway.SERVER.equals("wildfly") ? 503 : 200,
                    Http.get(gateway() + "/pacs/studies", login("radiologist"), DICOM_JSON).statusCode());
            // More attempts than the lockout allows: none may count.
            HttpResponse<byte[]> answer = null;
            for (int i = 0; i < 7; i++) {
                answer = Http.get(gateway() + "/pacs/studies", login("oncall"), DICOM_JSON);
                assertEquals(503, answer.statusCode(), "attempt " + (i + 1) + ": " + Http.text(answer));
                assertEquals("10", answer.headers().firstValue("Retry-After").orElse(null));
                assertTrue(Http.text(answer).contains("directory cannot be reached"), Http.text(answer));
            }
            JsonObject audited = auditLine(answer);
            assertEquals(503, audited.getInt("status"));
            assertEquals("oncall", audited.getString("attemptedUser"));
            HttpResponse<byte[]> health = Http.get(server.healthUrl() + "/ready", login("pacsadmin"), "application/json");
            assertEquals(503, health.statusCode(), "not ready: the directory cannot be reached");
            HttpResponse<byte[]> loadBalancerCheck = Http.get(gateway() + "/ready", null, null);
            assertEquals(503, loadBalancerCheck.statusCode(), "the load balancer sends nobody here");
            assertEquals("not ready\n", Http.text(loadBalancerCheck));
        } finally {
            slapd.start();
        }
        assertEquals(200, loginWhenBack(login("oncall")), "the right password works again, no lockout");
    }

    @Test
    @Order(91)
    void aFrozenDirectoryGives503AfterItsTimeoutsAndLoginsComeBack() throws Exception {
        try {
            slapd.pause();
            // Without the realm's read timeout this request would wait for ever (measured: > 60 s).
            HttpResponse<byte[]> answer = Http.get(gateway() + "/pacs/studies", login("locum"), DICOM_JSON);
            assertEquals(503, answer.statusCode(), Http.text(answer));
        } finally {
            slapd.resume();
        }
        assertEquals(200, loginWhenBack(login("locum")));
    }

    /**
     * The status of the first login that is not 503 once the directory is back; 503 may come a
     * few seconds more (the gateway's answer of the outage, connections the realm still holds).
     */
    private int loginWhenBack(String authorization) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status;
        do {
            status = Http.get(gateway() + "/pacs/studies", authorization, DICOM_JSON).statusCode();
            if (status == 503) {
                Thread.sleep(250);
            }
        } while (status == 503 && System.nanoTime() < deadline);
        return status;
    }

    private static JsonObject directoryCheck(HttpResponse<byte[]> health) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(health.body()))) {
            return reader.readObject().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                    .filter(check -> check.getString("name").equals("directory")).findFirst()
                    .orElseThrow(() -> new AssertionError(Http.text(health)));
        }
    }

    private JsonObject auditLine(HttpResponse<byte[]> answer) throws Exception {
        String line = ItHelpers.awaitAuditLine(dir.resolve("audit.0.log"),
                answer.headers().firstValue("X-Request-Id").orElseThrow(), Duration.ofSeconds(2));
        try (JsonReader reader = Json.createReader(new java.io.StringReader(line))) {
            return reader.readObject();
        }
    }
}
