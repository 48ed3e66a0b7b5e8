package org.ohifgateway.admin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.RejectedRequest;

class AdminRouteTest {

    private final AdminRoute route = new AdminRoute(new DeniedAdminRoutes(List.of("POST /tools/shutdown")));

    private static CanonicalPath path(String below) throws RejectedRequest {
        return CanonicalPath.parse("/pacs-admin" + below, "/pacs-admin");
    }

    @Test
    void everythingIsAdminAccessToOrthancsRoot() throws RejectedRequest {
        assertEquals("", route.upstreamPath());
        assertEquals(AccessKind.ADMIN, route.classify("DELETE", path("/patients/x")));
        assertEquals(AccessKind.ADMIN, route.unknownKind());
        assertTrue(route.rootNeedsSlash(), "Orthanc's root redirects relatively");
    }

    @Test
    void onlyTheMethodsOfOrthancsRestApiAreForwarded() throws RejectedRequest {
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE")) {
            assertEquals(AccessKind.ADMIN, route.classify(method, path("/instances")), method);
        }
        for (String method : List.of("PROPFIND", "MKCOL", "TRACE", "OPTIONS", "PATCH", "FOO")) {
            RejectedRequest refusal = assertThrows(RejectedRequest.class, () -> route.classify(method, path("/")), method);
            assertEquals(405, refusal.status());
            assertEquals(List.of("GET", "HEAD", "POST", "PUT", "DELETE"), refusal.allowedMethods());
        }
    }

    @Test
    void deniedFunctionsAreRefusedInTheCheckedSpelling() throws RejectedRequest {
        CanonicalPath encoded = path("/tools/%73hutdown");
        assertEquals(403, assertThrows(RejectedRequest.class,
                () -> route.admit(AccessKind.ADMIN, "POST", encoded, null)).status());
        assertDoesNotThrow(() -> route.admit(AccessKind.ADMIN, "GET", encoded, null));
    }
}
