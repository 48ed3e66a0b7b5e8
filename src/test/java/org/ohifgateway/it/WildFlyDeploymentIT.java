package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.config.SettingsFile;

/**
 * The gateway on WildFly as a hospital sets it up: a settings file (read only by its owner, the
 * keystore's password in a file of its own) with HTTPS, the hospital's certificate and plain HTTP
 * redirected to HTTPS, applied with {@code java -jar ohif-gateway-tools.jar wildfly-setup}, and
 * read by the WAR for its own settings. None of these settings is in the environment, so each
 * takes effect only if the file is read. (On Payara, DeploymentIT runs the same settings.)
 */
@EnabledIfSystemProperty(named = "it.server", matches = "wildfly", disabledReason = "WildFly's set-up; DeploymentIT on Payara")
@ExtendWith(GatewayStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WildFlyDeploymentIT {

    /** Characters a shell, jboss-cli or the server's expressions could mangle: the password must arrive as it is. */
    private final String password = "p@ss w0rd!$;`x'\"";
    private Path dir;
    private WildFly wildfly;
    private int httpsPort;
    private HttpClient client;

    @BeforeAll
    void startWildFlyWithASettingsFile() throws Exception {
        dir = Path.of(System.getProperty("it.dir"), "wildfly-https");
        TestCertificate certificate = TestCertificate.create(dir, "gateway", password);
        httpsPort = ServerProcess.freePort();
        Path settings = secretFile("gateway.properties", String.join("\n",
                "gateway.https-enabled = true",
                "gateway.keystore = " + certificate.keystore(),
                "gateway.keystore-password-file = " + secretFile("keystore-password", certificate.password()),
                "gateway.http = redirect",
                "gateway.public-origins = https://127.0.0.1:" + httpsPort,
                // One of the WAR's own settings.
                "gateway.headers.hsts-max-age = 4321", ""));
        wildfly = WildFly.start(Path.of(System.getProperty("it.war")), dir, GatewayStack.users(),
                Map.of(SettingsFile.VARIABLE, settings.toString(), "GATEWAY_HTTPS_PORT", Integer.toString(httpsPort)));
        client = HttpClient.newBuilder().sslContext(certificate.trustingClient()).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            wildfly.awaitReady(() -> client.send(request("/").build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
        } catch (AssertionError e) {
            wildfly.close();
            throw e;
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (wildfly != null) {
            wildfly.close();
        }
    }

    @Test
    void plainHttpIsRedirectedToHttpsBeforeAnyLoginIsAskedFor() throws Exception {
        for (String method : List.of("GET", "POST")) {
            for (String target : List.of("/", "/pacs/studies?PatientName=DOE*", "/pacs-admin/app/explorer.html")) {
                RawHttp.Reply reply = RawHttp.send(wildfly.httpPort(), method, target,
                        Map.of("Authorization", authorization(VIEWER)), null);
                assertEquals(302, reply.status(), method + " " + target);
                assertEquals("https://127.0.0.1:" + httpsPort + target, reply.headers().get("location"));
                assertFalse(reply.headers().containsKey("www-authenticate"), "no login over plain HTTP");
            }
        }
    }

    @Test
    void theSettingsFileGivesTheServerItsCertificateAndTheGatewayItsSettings() throws Exception {
        HttpResponse<byte[]> challenge = client.send(request("/pacs/studies").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, challenge.statusCode(), "over HTTPS with the hospital's certificate: " + Http.text(challenge));
        HttpResponse<byte[]> studies = client.send(request("/pacs/studies").header("Authorization", authorization(VIEWER))
                .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, studies.statusCode(), Http.text(studies));
        assertEquals("max-age=4321", studies.headers().firstValue("Strict-Transport-Security").orElse(null),
                "gateway.headers.hsts-max-age, given by the file only");
    }

    @Test
    void thePasswordsWildFlysConfigurationNowHoldsAreItsOwnersOnly() throws Exception {
        Path configuration = dir.resolve("standalone/configuration");
        assertTrue(Files.readString(configuration.resolve("standalone-microprofile.xml")).contains(password.replace("\"", "&quot;")),
                "the keystore's password is in the configuration (as the default of GATEWAY_KEYSTORE_PASSWORD)");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(configuration)),
                "the configuration directory, with its history of earlier versions");
        assertFalse(wildfly.logText().contains(password), "the server log");
        assertFalse(Files.readString(dir.resolve("wildfly-setup.log")).contains(password), "wildfly-setup's output");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path)).timeout(Duration.ofSeconds(30));
    }

    private Path secretFile(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content + "\n");
    }
}
