package org.ohifgateway.audit;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** One id per request, in the response header, the log and the audit trail, so they can be matched. */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestId.class.getName();

    private RequestId() {
    }

    public static String of(HttpServletRequest request, HttpServletResponse response) {
        String id = (String) request.getAttribute(ATTRIBUTE);
        if (id == null) {
            id = UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, id);
        }
        if (!response.isCommitted()) {
            response.setHeader(HEADER, id);
        }
        return id;
    }
}
