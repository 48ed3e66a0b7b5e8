package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ohifgateway.cache.KeptResource;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.http.RejectedRequest;

class DicomWebRouteTest {

    private static final String FRAMES = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final PublicOrigin ORIGIN = new PublicOrigin("https", "pacs.example:8443");

    /** Orthanc's DICOMweb root is the public path: nothing to rewrite. */
    private final DicomWebRoute same = new DicomWebRoute(Set.of("*"), "/pacs/", "/pacs/");
    /** Orthanc keeps its default root while the gateway serves under /ohif. */
    private final DicomWebRoute other = new DicomWebRoute(Set.of("*"), "/dicom-web/", "/ohif/pacs/");

    private static CanonicalPath path(String below) throws RejectedRequest {
        return CanonicalPath.parse("/pacs" + below, "/pacs");
    }

    @Test
    void forwardsToOrthancsRootAndClassifiesForTheAudit() throws RejectedRequest {
        assertEquals("/dicom-web", other.upstreamPath());
        assertEquals(AccessKind.QIDO, same.classify("GET", path("/studies")));
        assertEquals(AccessKind.STOW, same.classify("POST", path("/studies")));
        assertEquals(404, assertThrows(RejectedRequest.class, () -> same.classify("GET", path("/servers/x"))).status());
        assertEquals(405, assertThrows(RejectedRequest.class, () -> same.classify("DELETE", path("/studies"))).status());
        assertEquals(AccessKind.DICOMWEB_REFUSED, same.unknownKind());
        assertEquals(400, assertThrows(RejectedRequest.class, () -> same.classify("GET", path("/studies/"))).status(),
                "a trailing slash is an empty segment");
        assertEquals(400, assertThrows(RejectedRequest.class, () -> same.classify("GET", path("/"))).status());
        assertTrue(same.headAsGet(), "Orthanc answers HEAD with 404");
    }

    @Test
    void onlyTheAllowedTransferSyntaxesReachOrthanc() throws RejectedRequest {
        CanonicalPath frames = path("/studies/1.2/series/1.3/instances/1.4/frames/1");
        assertDoesNotThrow(() -> same.admit(AccessKind.WADO_RS, "GET", frames, FRAMES));
        RejectedRequest refused = assertThrows(RejectedRequest.class, () -> same.admit(AccessKind.WADO_RS, "GET", frames,
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.4.50"));
        assertEquals(406, refused.status());
    }

    @Test
    void bodiesAreRewrittenOnlyWhenOrthancsRootDiffersAndOnlyWhereUrlsCanBe() {
        assertFalse(same.rewritesBody("application/dicom+json"));
        assertTrue(same.forwards("Accept-Encoding"), "Orthanc's gzip passes through unchanged");
        assertTrue(other.rewritesBody("application/dicom+json"));
        assertTrue(other.rewritesBody("application/dicom+xml"));
        assertTrue(other.rewritesBody(FRAMES.replace("; transfer", "; boundary=abc; transfer")));
        assertFalse(other.rewritesBody(FRAMES), "a multipart answer without a boundary cannot be parsed");
        assertFalse(other.rewritesBody("image/jpeg"));
        assertFalse(other.rewritesBody(null));
        assertFalse(other.forwards("accept-encoding"), "a compressed body could not be rewritten as it streams");
        assertTrue(other.forwards("Accept"));
    }

    @Test
    void orthancsUrlsBecomeTheGatewaysForThisClient() throws IOException {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try (OutputStream body = other.rewrittenBody("application/dicom+json", ORIGIN, client)) {
            body.write("{\"Value\":[\"https://pacs.example:8443/dicom-web/studies/1.2\"]}".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("{\"Value\":[\"https://pacs.example:8443/ohif/pacs/studies/1.2\"]}",
                client.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        try (OutputStream body = other.rewrittenBody("multipart/related; boundary=b1", ORIGIN, frames)) {
            body.write(("--b1\r\nContent-Location: https://pacs.example:8443/dicom-web/studies/1.2/frames/1\r\n\r\n"
                    + "https://pacs.example:8443/dicom-web/ in pixel data\r\n--b1--").getBytes(StandardCharsets.ISO_8859_1));
        }
        String rewritten = frames.toString(StandardCharsets.ISO_8859_1);
        assertTrue(rewritten.contains("Content-Location: https://pacs.example:8443/ohif/pacs/studies/1.2/frames/1"), rewritten);
        assertTrue(rewritten.contains("https://pacs.example:8443/dicom-web/ in pixel data"), "image data is never changed");
    }

    @Test
    void keptAnswersGetTheUrlsOfTheClientAtHand() throws IOException {
        PublicOrigin direct = new PublicOrigin("http", "127.0.0.1:8080");
        assertFalse(same.rewrites(ORIGIN, ORIGIN), "kept for this very origin: sent as kept");
        assertTrue(same.rewrites(direct, ORIGIN));
        assertTrue(other.rewrites(ORIGIN, ORIGIN), "Orthanc's own root is never the client's");
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try (OutputStream body = other.rewriting(direct, ORIGIN, client)) {
            body.write(("[{\"RetrieveURL\":\"http://127.0.0.1:8080/dicom-web/studies/1.2\","
                    + "\"BulkDataURI\":\"http://127.0.0.1:8080/dicom-web/studies/1.2/series/1.3/instances/1.4/bulk/7fe00010\","
                    + "\"Other\":\"https://pacs.example:8443/dicom-web/ is another client's\"}]").getBytes(StandardCharsets.UTF_8));
        }
        String rewritten = client.toString(StandardCharsets.UTF_8);
        assertEquals("[{\"RetrieveURL\":\"https://pacs.example:8443/ohif/pacs/studies/1.2\","
                + "\"BulkDataURI\":\"https://pacs.example:8443/ohif/pacs/studies/1.2/series/1.3/instances/1.4/bulk/7fe00010\","
                + "\"Other\":\"https://pacs.example:8443/dicom-web/ is another client's\"}]", rewritten);
    }

    @Test
    void theCacheKeepsSeriesAndStudyMetadataAndTheStudyListInJson() {
        String accept = "application/dicom+json";
        assertEquals(Optional.of(KeptResource.seriesMetadata("1.2", "1.3", null)),
                DicomWebRoute.keptResource("GET", List.of("studies", "1.2", "series", "1.3", "metadata"), null, accept));
        assertEquals(Optional.of(KeptResource.studyMetadata("1.2", null)),
                DicomWebRoute.keptResource("HEAD", List.of("studies", "1.2", "metadata"), null, null));
        assertEquals(Optional.of(KeptResource.studySearch("limit=101&offset=0")),
                DicomWebRoute.keptResource("GET", List.of("studies"), "limit=101&offset=0", "*/*"));
        for (List<String> other : List.of(List.of("series"), List.of("studies", "1.2"), List.of("studies", "1.2", "series"),
                List.of("studies", "1.2", "series", "1.3", "instances", "1.4", "metadata"),
                List.of("studies", "1.2", "series", "1.3", "rendered"), List.of("wado"))) {
            assertEquals(Optional.empty(), DicomWebRoute.keptResource("GET", other, null, accept), other.toString());
        }
        assertEquals(Optional.empty(), DicomWebRoute.keptResource("POST", List.of("studies"), null, accept));
        assertEquals(Optional.empty(), DicomWebRoute.keptResource("GET", List.of("studies"), null,
                "multipart/related; type=\"application/dicom+xml\""), "Orthanc's XML is not kept");
    }

    @Test
    void theCacheAsksOrthancAtItsOwnRootWithTheQueryEscaped() {
        assertEquals("/dicom-web/studies/1.2/metadata", other.upstream("studies/1.2/metadata", null));
        assertEquals("/pacs/studies?PatientName=DOE%5EJOHN%20X&limit=25",
                same.upstream("studies", "PatientName=DOE^JOHN%20X&limit=25"));
    }

    @Test
    void wadoUriJpegIsLabelledAsJpeg() {
        Map<String, String> none = Map.of();
        assertEquals("image/jpeg", same.contentType(AccessKind.WADO_URI, none::get, "image/png"));
        assertEquals("image/png", same.contentType(AccessKind.WADO_URI, Map.of("contentType", "image/png")::get,
                "image/png"));
        assertEquals("image/png", same.contentType(AccessKind.WADO_RS, none::get, "image/png"), "only WADO-URI");
    }
}
