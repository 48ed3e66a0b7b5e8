package org.ohifgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {

    @TempDir
    Path dir;

    @Test
    void keysInEitherSpellingWithCommentsAndSpaces() throws Exception {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, """
                # the archive
                orthanc.url = http://10.0.0.5:8042
                GATEWAY_PUBLIC_ORIGINS=https://pacs.hospital.example
                gateway.viewer.title = Klinik Süd
                """);
        SettingsFile settings = SettingsFile.named(Map.of("GATEWAY_SETTINGS", file.toString())).orElseThrow();
        assertEquals(Optional.of("http://10.0.0.5:8042"), settings.value("orthanc.url"));
        assertEquals(Optional.of("https://pacs.hospital.example"), settings.value("gateway.public-origins"));
        assertEquals(Optional.of("Klinik Süd"), settings.value("gateway.viewer.title"));
        assertEquals(Optional.empty(), settings.value("orthanc.password"));
    }

    @Test
    void noVariableNoFile() {
        assertTrue(SettingsFile.named(Map.of()).isEmpty());
        assertTrue(SettingsFile.named(Map.of("GATEWAY_SETTINGS", " ")).isEmpty());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SettingsFile.named(Map.of("GATEWAY_SETTINGS", missing.toString())));
        assertTrue(e.getMessage().startsWith("GATEWAY_SETTINGS names " + missing + ", which cannot be read"),
                e.getMessage());
    }

    @Test
    void environmentNamesFollowMicroProfileConfig() {
        assertEquals("ORTHANC_TRUST_STORE_PASSWORD", EnvironmentName.of("orthanc.trust-store-password"));
        assertEquals("orthanc.url (ORTHANC_URL)", EnvironmentName.both("orthanc.url"));
        assertEquals(Optional.of("a"), EnvironmentName.lookup(Map.of("ORTHANC_URL", "a"), "orthanc.url"));
        assertEquals(Optional.of("b"), EnvironmentName.lookup(Map.of("orthanc_url", "b", "ORTHANC_URL", "a"),
                "orthanc.url"));
        assertEquals(Optional.empty(), EnvironmentName.lookup(Map.of("ORTHANC", "a"), "orthanc.url"));
    }
}
