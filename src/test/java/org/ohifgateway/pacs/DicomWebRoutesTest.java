package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ohifgateway.security.RejectedRequest;

class DicomWebRoutesTest {

    @Test
    void readsOfDicomWebResourcesAreAllowed() {
        for (List<String> path : List.of(List.of("studies"), List.of("studies", "1.2", "series", "1.3", "metadata"),
                List.of("series"), List.of("instances"), List.of("wado"))) {
            assertDoesNotThrow(() -> DicomWebRoutes.check("GET", path));
            assertDoesNotThrow(() -> DicomWebRoutes.check("HEAD", path));
        }
    }

    @Test
    void stowIsThePostThatIsAllowed() {
        assertDoesNotThrow(() -> DicomWebRoutes.check("POST", List.of("studies")));
        assertDoesNotThrow(() -> DicomWebRoutes.check("POST", List.of("studies", "1.2.3")));
        assertEquals(405, assertThrows(RejectedRequest.class,
                () -> DicomWebRoutes.check("POST", List.of("studies", "1.2.3", "series"))).status());
        assertEquals(405, assertThrows(RejectedRequest.class,
                () -> DicomWebRoutes.check("DELETE", List.of("studies", "1.2.3"))).status());
        assertEquals(405, assertThrows(RejectedRequest.class,
                () -> DicomWebRoutes.check("PUT", List.of("studies"))).status());
    }

    @Test
    void otherOrthancResourcesAreNotThere() {
        for (List<String> path : List.<List<String>>of(List.of(), List.of("servers"), List.of("servers", "x", "get"), List.of("info"),
                List.of("system"), List.of("app", "explorer.html"), List.of("Studies"))) {
            assertEquals(404, assertThrows(RejectedRequest.class, () -> DicomWebRoutes.check("GET", path)).status());
            assertEquals(404, assertThrows(RejectedRequest.class, () -> DicomWebRoutes.check("POST", path)).status());
        }
    }
}
