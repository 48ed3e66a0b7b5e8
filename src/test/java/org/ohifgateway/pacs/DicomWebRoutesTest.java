package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.RejectedRequest;

class DicomWebRoutesTest {

    private static final String STUDY = "studies/1.2.840.113619.2.55.3.604688119";
    private static final String SERIES = STUDY + "/series/1.3.12.2.1107.5.2.32.35162";
    private static final String INSTANCE = SERIES + "/instances/1.3.12.2.1107.5.2.32.35162.1";

    private static List<String> path(String path) {
        return path.isEmpty() ? List.of() : Arrays.asList(path.split("/"));
    }

    private static AccessKind kind(String method, String path) throws RejectedRequest {
        return DicomWebRoutes.check(method, path(path));
    }

    private static int refusal(String method, String path) {
        return assertThrows(RejectedRequest.class, () -> kind(method, path), method + " " + path).status();
    }

    @Test
    void searchesAreQido() throws RejectedRequest {
        for (String path : List.of("studies", "series", "instances", STUDY + "/series", STUDY + "/instances",
                SERIES + "/instances")) {
            assertEquals(AccessKind.QIDO, kind("GET", path), path);
            assertEquals(AccessKind.QIDO, kind("HEAD", path), path);
        }
    }

    @Test
    void retrievalsAreWadoRs() throws RejectedRequest {
        for (String path : List.of(STUDY, STUDY + "/metadata", STUDY + "/rendered", SERIES, SERIES + "/metadata",
                SERIES + "/rendered", INSTANCE, INSTANCE + "/metadata", INSTANCE + "/rendered", INSTANCE + "/frames/1",
                INSTANCE + "/frames/1,2,30", INSTANCE + "/frames/3/rendered", INSTANCE + "/bulk/7fe00010",
                INSTANCE + "/bulk/00540016/0/00181074")) {
            assertEquals(AccessKind.WADO_RS, kind("GET", path), path);
        }
        assertEquals(AccessKind.WADO_URI, kind("GET", "wado"));
    }

    @Test
    void stowIsThePostThatIsAllowed() throws RejectedRequest {
        assertEquals(AccessKind.STOW, kind("POST", "studies"));
        assertEquals(AccessKind.STOW, kind("POST", STUDY));
        assertEquals(405, refusal("POST", SERIES));
        assertEquals(405, refusal("POST", STUDY + "/series"));
        assertEquals(405, refusal("DELETE", STUDY));
        assertEquals(405, refusal("PUT", "studies"));
        assertEquals(405, refusal("POST", "wado"));
    }

    @Test
    void aWrongMethodIsToldTheMethodsTheResourceOffers() {
        assertEquals(List.of("GET", "HEAD", "POST"), allowed("DELETE", STUDY));
        assertEquals(List.of("GET", "HEAD", "POST"), allowed("OPTIONS", "studies"));
        assertEquals(List.of("GET", "HEAD"), allowed("POST", SERIES));
        assertEquals(List.of("GET", "HEAD"), allowed("TRACE", "wado"));
    }

    private static List<String> allowed(String method, String path) {
        return assertThrows(RejectedRequest.class, () -> kind(method, path), method + " " + path).allowedMethods();
    }

    @Test
    void onlyUidsStandWhereUidsBelong() {
        for (String path : List.of("studies/abc", "studies/1.2.3a", "studies/.1.2", "studies/1..2", "studies/1.2.",
                "studies/" + "1.".repeat(32) + "1", "studies/1.2/series/x", SERIES + "/instances/%2e%2e",
                INSTANCE + "/frames/0", INSTANCE + "/frames/1;2", INSTANCE + "/frames/", INSTANCE + "/frames/1/x",
                INSTANCE + "/bulk", INSTANCE + "/bulk/7fe0001", INSTANCE + "/bulk/00540016/0",
                INSTANCE + "/bulk/7fe00010/../x", INSTANCE + "/thumbnail/x")) {
            assertEquals(404, refusal("GET", path), path);
        }
        assertTrue(DicomWebRoutes.isUid("1.2.840.10008.1.2.1"));
        assertTrue(DicomWebRoutes.isUid("2.25.0123"));
        assertFalse(DicomWebRoutes.isUid("1.2.840.10008.1.2.1.1.2.840.10008.1.2.1.1.2.840.10008.1.2.1.1.2.84"));
    }

    @Test
    void otherOrthancResourcesAreNotThere() {
        for (String path : List.of("", "servers", "servers/x/get", "info", "system", "app/explorer.html", "Studies",
                "studies/1.2/series/1.3/instances/1.4/file", "tools/shutdown", "studies/1.2/archive")) {
            assertEquals(404, refusal("GET", path), path);
            assertEquals(404, refusal("POST", path), path);
        }
    }
}
