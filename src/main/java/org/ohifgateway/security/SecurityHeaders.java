package org.ohifgateway.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ohifgateway.http.Routes;

/** The protective response headers for each part of the URL space. */
public final class SecurityHeaders {

    /** DICOMweb answers are data, never a page: nothing may run or be framed. */
    private static final String DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

    /**
     * The one inline script of Orthanc Explorer (1.10): the upload page's "Select files to upload"
     * item forwards its click to the hidden file input.
     */
    private static final String EXPLORER_UPLOAD_HANDLER = "$('#fileupload').click()";

    private final String viewerCsp;
    private final String viewerWorkerCsp;
    private final String adminCsp;
    private final long hstsMaxAge;

    public SecurityHeaders(String viewerCsp, String adminCsp, long hstsMaxAge) {
        this.viewerCsp = viewerCsp;
        // OHIF's image decoders (OpenJPEG for JPEG 2000, compiled with Emscripten) build code at
        // run time inside their web worker; a worker's policy is the one sent with its script,
        // so only worker scripts get 'unsafe-eval' and the page itself never does.
        this.viewerWorkerCsp = InlineScripts.allow(viewerCsp, List.of("'unsafe-eval'"));
        this.adminCsp = InlineScripts.allow(adminCsp, InlineScripts.eventHandlerSources(List.of(EXPLORER_UPLOAD_HANDLER)));
        this.hstsMaxAge = hstsMaxAge;
    }

    /**
     * @param path the path inside the application (without the context path)
     * @param secure whether the client reached the gateway over HTTPS
     * @param fetchDestination the request's Sec-Fetch-Dest header (null if absent)
     */
    public Map<String, String> forPath(String path, boolean secure, String fetchDestination) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "same-origin");
        headers.put("X-Frame-Options", "SAMEORIGIN");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        if (Routes.on(Routes.DICOMWEB, path)) {
            headers.put("Content-Security-Policy", DATA_CSP);
        } else if (Routes.on(Routes.ADMIN, path)) {
            headers.put("Content-Security-Policy", adminCsp);
        } else {
            boolean worker = "worker".equals(fetchDestination) || "sharedworker".equals(fetchDestination);
            headers.put("Content-Security-Policy", worker ? viewerWorkerCsp : viewerCsp);
            headers.put("Vary", "Sec-Fetch-Dest");
            // Cross-origin isolation lets OHIF use SharedArrayBuffer (multi-threaded decoding, 3D).
            headers.put("Cross-Origin-Opener-Policy", "same-origin");
            headers.put("Cross-Origin-Embedder-Policy", "require-corp");
        }
        if (secure && hstsMaxAge > 0) {
            headers.put("Strict-Transport-Security", "max-age=" + hstsMaxAge);
        }
        return headers;
    }
}
