package org.ohifgateway.audit;

import jakarta.servlet.ServletRequest;

/** The body bytes a proxied answer carried to the client, noted for the audit trail. */
public final class SentBytes {

    private static final String ATTRIBUTE = SentBytes.class.getName();

    private SentBytes() {
    }

    public static void record(ServletRequest request, long bytes) {
        request.setAttribute(ATTRIBUTE, bytes);
    }

    static long of(ServletRequest request) {
        Object bytes = request.getAttribute(ATTRIBUTE);
        return bytes instanceof Long count ? count : 0;
    }
}
