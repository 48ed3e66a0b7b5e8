package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * Who reaches which route, as web.xml's constraints promise it: no credentials or a wrong
 * password 401 with the BASIC challenge, a user without the role 403, with it 200. Checked for
 * the users of whatever realm the gateway runs with (its users file, a directory).
 */
final class AccessMatrix {

    /** The Authorization headers of a user per gateway role, and of one who holds none. */
    record Users(String viewer, String uploader, String admin, String noRole) {
    }

    private static final String DICOM_JSON = "application/dicom+json";

    private AccessMatrix() {
    }

    /**
     * Checks every route for every user; a wrong password is tried once for the viewer, between
     * successful logins, so that it adds nothing to a lockout.
     */
    static void check(String gateway, Users users, String viewerName) throws Exception {
        for (String path : List.of("/", "/app-config.js", "/index.jsp", "/pacs/studies", "/pacs-admin/system", "/health/live")) {
            HttpResponse<byte[]> anonymous = Http.get(gateway + path, null, null);
            assertEquals(401, anonymous.statusCode(), path);
            String challenge = anonymous.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(challenge.startsWith("Basic") && challenge.contains("ohif-gateway"), challenge);
        }
        assertEquals(401, Http.get(gateway + "/pacs/studies", Http.basic(viewerName, "not-the-password"), DICOM_JSON)
                .statusCode(), "a wrong password");

        byte[] stowBody = Multipart.stowBody(List.of(SyntheticStudies.ctSeries("access-matrix", 1, 8, 8).get(0)));
        Map<String, int[]> expected = new LinkedHashMap<>();
        //                                   viewer uploader admin no role
        expected.put("GET /", new int[] {200, 200, 200, 403});
        expected.put("GET /app-config.js", new int[] {200, 200, 200, 403});
        expected.put("GET /pacs/studies", new int[] {200, 200, 200, 403});
        expected.put("POST /pacs/studies", new int[] {403, 200, 200, 403});
        expected.put("GET /pacs-admin/system", new int[] {403, 403, 200, 403});
        expected.put("GET /health/live", new int[] {403, 403, 200, 403});
        List<String> who = List.of(users.viewer(), users.uploader(), users.admin(), users.noRole());
        List<String> names = List.of("viewer", "uploader", "admin", "no role");
        for (Map.Entry<String, int[]> route : expected.entrySet()) {
            for (int i = 0; i < who.size(); i++) {
                String path = route.getKey().substring(route.getKey().indexOf(' ') + 1);
                HttpResponse<byte[]> answer = route.getKey().startsWith("POST")
                        ? Http.send(Http.stow(gateway, who.get(i)).POST(HttpRequest.BodyPublishers.ofByteArray(stowBody)))
                        : Http.get(gateway + path, who.get(i), path.startsWith("/pacs/") ? DICOM_JSON : "text/html");
                assertEquals(route.getValue()[i], answer.statusCode(), route.getKey() + " as " + names.get(i));
            }
        }
    }
}
