package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.ohifgateway.config.GatewayConfig;

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

    @Test
    void theArchiveConsoleRunsNoInlineScriptButItsUploadHandler() {
        GatewayConfig defaults = new GatewayConfig(key -> Optional.empty());
        String admin = new SecurityHeaders(defaults.viewerContentSecurityPolicy(), defaults.adminContentSecurityPolicy(), 0)
                .forPath("/pacs-admin/app/explorer.html", false, null).get("Content-Security-Policy");
        // Orthanc Explorer's onclick="$('#fileupload').click()", and no other inline script or eval.
        assertEquals("script-src 'unsafe-hashes' 'sha256-Sii8hGRfSHoJ5vCqzknXRD7Kn5fF/c8F8MpnZ8aUqFc=' 'self'",
                directive(admin, "script-src"));
        assertEquals("img-src 'self'", directive(admin, "img-src"));
        assertEquals("frame-ancestors 'none'", directive(admin, "frame-ancestors"));
    }

    private static String directive(String policy, String name) {
        return Arrays.stream(policy.split(";")).map(String::trim).filter(part -> part.startsWith(name + " "))
                .findFirst().orElse("");
    }
}
