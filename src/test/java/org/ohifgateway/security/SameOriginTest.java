package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SameOriginTest {

    private static final String OWN = "https://pacs.example:8443";

    @Test
    void readsNeedNoOrigin() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertEquals(Optional.empty(), SameOrigin.refusal(method, "https://evil.example", null, OWN));
        }
    }

    @Test
    void changesNeedTheGatewaysOwnOrigin() {
        assertEquals(Optional.empty(), SameOrigin.refusal("POST", OWN, null, OWN));
        assertEquals(Optional.empty(), SameOrigin.refusal("DELETE", "HTTPS://PACS.example:8443", null, OWN));
        assertEquals(Optional.empty(), SameOrigin.refusal("PUT", null, OWN + "/pacs-admin/app/explorer.html#x", OWN));
        for (String[] claim : new String[][] {{"https://evil.example", null}, {null, "https://evil.example/"},
                {"null", null}, {null, null}, {"https://pacs.example:8443.evil.example", null},
                {"http://pacs.example:8443", null}, {"https://pacs.example", null}, {null, "not a url"},
                {"https://evil.example", OWN + "/"}}) {
            assertTrue(SameOrigin.refusal("POST", claim[0], claim[1], OWN).isPresent(), claim[0] + " " + claim[1]);
        }
        assertEquals(Optional.empty(), SameOrigin.refusal("POST", "https://pacs.example", null, "https://pacs.example"));
        assertEquals(Optional.empty(), SameOrigin.refusal("POST", null, "https://pacs.example:443/viewer", "https://pacs.example"));
    }
}
