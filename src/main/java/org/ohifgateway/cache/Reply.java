package org.ohifgateway.cache;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.AcceptEncoding;
import org.ohifgateway.http.RouteNotes;
import org.ohifgateway.upstream.OrthancProxyServlet;

/**
 * The answer one client gets through the cache, as Orthanc gave it or kept.
 *
 * @param gzip    whether the body is gzip (kept answers always are)
 * @param outcome "hit" or "miss", for the audit trail
 */
record Reply(int status, String contentType, byte[] body, boolean gzip, String outcome) {

    static final String HIT = "hit";
    static final String MISS = "miss";

    /** Sends it as the proxy would have sent Orthanc's answer: gzip to clients that accept it, plain to the others. */
    void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RouteNotes.cache(request, outcome);
        response.setStatus(status);
        if (contentType != null) {
            response.setContentType(contentType);
        }
        // Orthanc sends no Cache-Control for these answers; the proxy then adds the same.
        response.setHeader("Cache-Control", OrthancProxyServlet.PRIVATE_REVALIDATED);
        boolean head = "HEAD".equals(request.getMethod());
        if (gzip) {
            response.setHeader("Vary", "Accept-Encoding");
            if (!AcceptEncoding.gzip(request.getHeader("Accept-Encoding"))) {
                long sent = head ? 0 : Gzip.inflate(body, response.getOutputStream());
                RouteNotes.sentBytes(request, sent);
                return;
            }
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLengthLong(body.length);
        if (!head) {
            response.getOutputStream().write(body);
            RouteNotes.sentBytes(request, body.length);
        }
    }
}
