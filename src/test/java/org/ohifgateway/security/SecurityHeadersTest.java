package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    private final SecurityHeaders headers = new SecurityHeaders("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
            "default-src 'self'", 0);

    @Test
    void onlyTheViewersWorkerScriptsMayEvaluateCode() {
        String page = headers.forPath("/app.bundle.1.js", false, "script").get("Content-Security-Policy");
        String worker = headers.forPath("/8097.bundle.1.js", false, "worker").get("Content-Security-Policy");
        assertFalse(page.contains("'unsafe-eval'"), page);
        assertEquals("default-src 'self'; script-src 'unsafe-eval' 'self' 'wasm-unsafe-eval'", worker);
        assertFalse(headers.forPath("/", false, null).get("Content-Security-Policy").contains("'unsafe-eval'"));
        assertEquals("Sec-Fetch-Dest", headers.forPath("/", false, null).get("Vary"));
    }

    @Test
    void archiveAnswersNeverRunCodeWhateverTheDestination() {
        String data = headers.forPath("/pacs/studies", false, "worker").get("Content-Security-Policy");
        assertTrue(data.startsWith("default-src 'none'"), data);
        assertFalse(headers.forPath("/pacs-admin/app/explorer.html", false, "worker").get("Content-Security-Policy")
                .contains("'unsafe-eval'"));
        assertNull(headers.forPath("/pacs/studies", false, null).get("Vary"));
    }
}
