package org.ohifgateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class AccessedResourceTest {

    @Test
    void dicomWebRequestsNameTheirRouteAndUids() {
        AccessedResource frames = AccessedResource.of("GET", "/pacs",
                "/studies/1.2/series/1.3/instances/1.4/frames/1", null);
        assertEquals("WADO_RS", frames.route());
        assertEquals(Optional.of("1.2"), frames.studyUid());
        assertEquals(Optional.of("1.3"), frames.seriesUid());
        assertEquals(Optional.of("1.4"), frames.instanceUid());

        AccessedResource qido = AccessedResource.of("GET", "/pacs", "/studies/1.2/series",
                "PatientName=DOE%5EJ*&includefield=00081030&includefield=00100020&limit=25");
        assertEquals("QIDO", qido.route());
        assertEquals(List.of("DOE^J*"), qido.query().get("PatientName"));
        assertEquals(List.of("00081030", "00100020"), qido.query().get("includefield"));

        AccessedResource wado = AccessedResource.of("GET", "/pacs", "/wado",
                "requestType=WADO&studyUID=1.2&seriesUID=1.3&objectUID=1.4");
        assertEquals("WADO_URI", wado.route());
        assertEquals(Optional.of("1.4"), wado.instanceUid());

        assertEquals("STOW", AccessedResource.of("POST", "/pacs", "/studies", null).route());
        assertEquals("DICOMWEB_REFUSED", AccessedResource.of("GET", "/pacs", "/servers/x", null).route());
        assertEquals("ADMIN", AccessedResource.of("DELETE", "/pacs-admin", "/patients/x", null).route());
    }

    @Test
    void aHostileQueryCannotFloodTheTrail() {
        StringBuilder query = new StringBuilder("x=" + "a".repeat(10_000));
        for (int i = 0; i < 500; i++) {
            query.append("&k").append(i).append("=v");
        }
        Map<String, List<String>> parsed = AccessedResource.parseQuery(query.toString() + "&bad=%zz");
        assertEquals(50, parsed.size());
        assertTrue(parsed.get("x").get(0).length() < 300);
    }

    @Test
    void theRecordIsOneJsonLineWithTheOutcome() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-01-01T00:00:00Z"), "id-1", "ann",
                Optional.empty(), Set.of("viewer"), "10.0.0.1", "GET", "QIDO", "/pacs/studies\n\"x", Optional.of("1.2"),
                Optional.empty(), Optional.empty(), Map.of("PatientName", List.of("DOE\"")), 403, 0, 12);
        String line = record.toJson();
        assertFalse(line.contains("\n"));
        JsonObject json = Json.createReader(new java.io.StringReader(line)).readObject();
        assertEquals("ann", json.getString("user"));
        assertEquals("refused", json.getString("outcome"));
        assertEquals("/pacs/studies\n\"x", json.getString("path"));
        assertEquals("DOE\"", json.getJsonObject("query").getJsonArray("PatientName").getString(0));
        assertFalse(json.containsKey("seriesUid"));
        assertFalse(json.containsKey("attemptedUser"));
    }

    @Test
    void aRefusedLoginRecordsTheNameThatWasTried() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-01-01T00:00:00Z"), "id-2", null,
                Optional.of("mallory"), Set.of(), "10.0.0.2", "GET", "QIDO", "/pacs/studies", Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), 401, 0, 3);
        JsonObject json = Json.createReader(new java.io.StringReader(record.toJson())).readObject();
        assertEquals("", json.getString("user"));
        assertEquals("mallory", json.getString("attemptedUser"));
        assertEquals("refused", json.getString("outcome"));
    }
}
