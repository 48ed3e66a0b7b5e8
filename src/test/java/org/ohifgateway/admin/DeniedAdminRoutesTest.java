package org.ohifgateway.admin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.RejectedRequest;

class DeniedAdminRoutesTest {

    private final DeniedAdminRoutes policy = new DeniedAdminRoutes(
            new GatewayConfig(key -> java.util.Optional.empty()).deniedAdminRoutes());

    @Test
    void dangerousRoutesAreRefusedInAnySpelling() {
        for (String[] request : new String[][] {{"POST", "/tools/shutdown"}, {"POST", "/tools/shutdown/"},
                {"post", "/Tools/Shutdown"}, {"POST", "/tools/reset"}, {"POST", "/tools/execute-script"},
                {"PUT", "/peers/evil"}, {"PUT", "/modalities/evil"}, {"PUT", "/pacs/servers/evil"},
                {"PUT", "/dicom-web/servers/evil"}, {"PUT", "/dicom-web/servers/evil/"}, {"put", "/DICOM-WEB/Servers/x"},
                {"PUT", "/a/b/servers/x"}, {"PUT", "/servers/x"}, {"PUT", "/peers/"}}) {
            assertEquals(403, assertThrows(RejectedRequest.class, () -> policy.check(request[0], request[1])).status(),
                    request[0] + " " + request[1]);
        }
    }

    @Test
    void everythingElseIsTheAdministratorsChoice() {
        for (String[] request : new String[][] {{"GET", "/tools/shutdown"}, {"GET", "/peers/evil"},
                {"POST", "/modalities/pacs/store"}, {"DELETE", "/patients/x"}, {"POST", "/tools/find"},
                {"GET", "/pacs/servers"}, {"GET", "/dicom-web/servers/x"}, {"POST", "/tools/shutdownx"},
                {"PUT", "/dicom-web/serversx/x"}, {"PUT", "/peersx/y"}}) {
            assertDoesNotThrow(() -> policy.check(request[0], request[1]), request[0] + " " + request[1]);
        }
    }

    @Test
    void theListIsConfigurable() {
        GatewayConfig off = new GatewayConfig(key -> key.equals("gateway.admin.denied-routes")
                ? java.util.Optional.of("none") : java.util.Optional.empty());
        assertDoesNotThrow(() -> new DeniedAdminRoutes(off.deniedAdminRoutes()).check("POST", "/tools/shutdown"));
        DeniedAdminRoutes custom = new DeniedAdminRoutes(List.of("DELETE /patients/*", "* /jobs/*"));
        assertThrows(RejectedRequest.class, () -> custom.check("DELETE", "/patients/abc"));
        assertThrows(RejectedRequest.class, () -> custom.check("GET", "/jobs/1"));
        assertThrows(IllegalArgumentException.class, () -> new DeniedAdminRoutes(List.of("shutdown")));
        assertThrows(IllegalArgumentException.class, () -> new DeniedAdminRoutes(List.of("PUT /a/**/b")));
        assertThrows(IllegalArgumentException.class, () -> new DeniedAdminRoutes(List.of("PUT /**/*")));
    }
}
