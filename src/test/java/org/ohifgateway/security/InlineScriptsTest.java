package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class InlineScriptsTest {

    @Test
    void theInlineScriptsOfOhifsIndexAreHashedAsBrowsersDo() {
        String html = "<script>console.time(\"scriptToView\"),window.PUBLIC_URL=\"/\"</script>"
                + "<script defer src=\"/app.bundle.js\"></script><script rel=\"preload\" as=\"script\" src=\"/app-config.js\"></script>"
                + "<SCRIPT>function browserImportFunction(n){return import(n)}window.PUBLIC_URL=\"/\"</SCRIPT><script></script>";
        // The hashes Chromium names when it blocks these two scripts.
        assertEquals(List.of("'sha256-VggY0rSMrfuUfyGbMQUTdohoMO4fFh+5LLFfr7rG50g='",
                "'sha256-12PW7jQ7q6uBo6f025aNINHBa58dqEw1kjWTLzM/lTg='"), InlineScripts.hashSources(html));
    }

    @Test
    void anEventHandlerIsAllowedByTheHashOfItsAttributeText() {
        // Orthanc Explorer's onclick="$('#fileupload').click()"; openssl dgst -sha256 -binary | base64.
        assertEquals(List.of("'unsafe-hashes'", "'sha256-Sii8hGRfSHoJ5vCqzknXRD7Kn5fF/c8F8MpnZ8aUqFc='"),
                InlineScripts.eventHandlerSources(List.of("$('#fileupload').click()")));
    }

    @Test
    void hashesJoinTheScriptSources() {
        assertEquals("default-src 'self'; script-src 'sha256-a' 'self'; img-src 'self'",
                InlineScripts.allow("default-src 'self'; script-src 'self'; img-src 'self'", List.of("'sha256-a'")));
        assertEquals("default-src 'self'", InlineScripts.allow("default-src 'self'", List.of()));
    }
}
