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
import org.ohifgateway.http.AccessKind;

class AccessedResourceTest {

    @Test
    void dicomWebRequestsNameTheirUidsAndQuery() {
        AccessedResource frames = AccessedResource.of(AccessKind.WADO_RS,
                "/studies/1.2/series/1.3/instances/1.4/frames/1", null);
        assertEquals(AccessKind.WADO_RS, frames.kind());
        assertEquals(Optional.of("1.2"), frames.studyUid());
        assertEquals(Optional.of("1.3"), frames.seriesUid());
        assertEquals(Optional.of("1.4"), frames.instanceUid());

        AccessedResource qido = AccessedResource.of(AccessKind.QIDO, "/studies/1.2/series",
                "PatientName=DOE%5EJ*&includefield=00081030&includefield=00100020&limit=25");
        assertEquals(Optional.of("1.2"), qido.studyUid());
        assertEquals(Optional.empty(), qido.seriesUid());
        assertEquals(List.of("DOE^J*"), qido.query().get("PatientName"));
        assertEquals(List.of("00081030", "00100020"), qido.query().get("includefield"));

        AccessedResource wado = AccessedResource.of(AccessKind.WADO_URI, "/wado",
                "requestType=WADO&studyUID=1.2&seriesUID=1.3&objectUID=1.4");
        assertEquals(Optional.of("1.2"), wado.studyUid());
        assertEquals(Optional.of("1.4"), wado.instanceUid());

        AccessedResource refused = AccessedResource.of(AccessKind.DICOMWEB_REFUSED, "/studies/1.2", null);
        assertEquals(Optional.of("1.2"), refused.studyUid(), "what a refused request asked for is recorded too");
        AccessedResource admin = AccessedResource.of(AccessKind.ADMIN, "/studies/1.2", null);
        assertEquals(Optional.empty(), admin.studyUid(), "Orthanc's own ids are not DICOM UIDs");
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
                Optional.empty(), Optional.empty(), Set.of("viewer"), "10.0.0.1", "GET", "QIDO", "/pacs/studies\n\"x", Optional.of("1.2"),
                Optional.empty(), Optional.empty(), Map.of("PatientName", List.of("DOE\"")), 403, 0, 12,
                Optional.empty());
        String line = record.toJson();
        assertFalse(line.contains("\n"));
        JsonObject json = Json.createReader(new java.io.StringReader(line)).readObject();
        assertEquals("ann", json.getString("user"));
        assertEquals("refused", json.getString("outcome"));
        assertEquals("/pacs/studies\n\"x", json.getString("path"));
        assertEquals("DOE\"", json.getJsonObject("query").getJsonArray("PatientName").getString(0));
        assertFalse(json.containsKey("seriesUid"));
        assertFalse(json.containsKey("attemptedUser"));
        assertFalse(json.containsKey("resolvedUser"), "no directory, no entry");
        assertFalse(json.containsKey("cache"), "the cache had no part in it");
    }

    @Test
    void anAnswerFromTheCacheSaysSo() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-01-01T00:00:00Z"), "id-3", "ann",
                Optional.empty(), Optional.empty(), Set.of("viewer"), "10.0.0.1", "GET", "WADO_RS",
                "/pacs/studies/1.2/metadata", Optional.of("1.2"), Optional.empty(), Optional.empty(), Map.of(), 200, 1234,
                1, Optional.of("hit"));
        JsonObject json = Json.createReader(new java.io.StringReader(record.toJson())).readObject();
        assertEquals("hit", json.getString("cache"));
        assertEquals(1234, json.getInt("bytes"));
    }

    @Test
    void aRefusedLoginRecordsTheNameThatWasTried() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-01-01T00:00:00Z"), "id-2", null,
                Optional.of("Mallory"), Optional.of("uid=mallory,ou=people,dc=hospital,dc=example"), Set.of(), "10.0.0.2", "GET", "QIDO", "/pacs/studies", Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), 401, 0, 3, Optional.empty());
        JsonObject json = Json.createReader(new java.io.StringReader(record.toJson())).readObject();
        assertEquals("", json.getString("user"));
        assertEquals("Mallory", json.getString("attemptedUser"), "as typed");
        assertEquals("uid=mallory,ou=people,dc=hospital,dc=example", json.getString("resolvedUser"));
        assertEquals("refused", json.getString("outcome"));
    }
}
