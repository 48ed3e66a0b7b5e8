package org.ohifgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    private static Function<String, Optional<String>> settings(Map<String, String> values) {
        return Secrets.fromFiles(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aSecretIsReadFromItsFileWithoutTheLineBreak() throws Exception {
        Path file = Files.writeString(dir.resolve("orthanc"), "s3cret: with = signs\n");
        var settings = settings(Map.of("orthanc.password-file", file.toString()));
        assertEquals(Optional.of("s3cret: with = signs"), settings.apply("orthanc.password"));
    }

    @Test
    void aSecretGivenItselfIsUsed() {
        assertEquals(Optional.of("pw"), settings(Map.of("gateway.keystore-password", "pw"))
                .apply("gateway.keystore-password"));
    }

    @Test
    void onlySecretsComeFromFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("url"), "http://elsewhere");
        assertEquals(Optional.empty(), settings(Map.of("orthanc.url-file", file.toString())).apply("orthanc.url"));
        assertTrue(Secrets.isFileOfSecret("gateway.ldap.bind-password-file"));
        assertFalse(Secrets.isFileOfSecret("gateway.users-file"));
    }

    @Test
    void bothFormsAtOnceAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "a");
        var settings = settings(Map.of("orthanc.password", "b", "orthanc.password-file", file.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings.apply("orthanc.password"));
        assertEquals("give orthanc.password (ORTHANC_PASSWORD) or orthanc.password-file (ORTHANC_PASSWORD_FILE),"
                + " not both", e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamedButNotItsContent() {
        Path missing = dir.resolve("missing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("orthanc.password-file", missing.toString())).apply("orthanc.password"));
        assertEquals("orthanc.password-file (ORTHANC_PASSWORD_FILE): cannot read " + missing, e.getMessage());
    }
}
