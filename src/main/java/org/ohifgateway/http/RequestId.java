package org.ohifgateway.http;

import jakarta.servlet.ServletRequest;

/**
 * The id of a request, in the response header, the server log and the audit trail, so that they
 * can be matched. Every request gets one before anything else runs (audit.RequestIdFilter).
 */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestId.class.getName();

    private RequestId() {
    }

    public static void set(ServletRequest request, String id) {
        request.setAttribute(ATTRIBUTE, id);
    }

    /** The request's id; null only for a request that bypassed the filters. */
    public static String of(ServletRequest request) {
        return (String) request.getAttribute(ATTRIBUTE);
    }
}
