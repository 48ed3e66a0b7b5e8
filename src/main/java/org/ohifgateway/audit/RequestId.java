package org.ohifgateway.audit;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** One id per request, in the response header, the log and the audit trail, so they can be matched. */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestId.class.getName();
    // A random prefix per start plus a counter: unique across restarts and nodes without asking
    // the shared SecureRandom on every request, as UUID.randomUUID() does.
    private static final String PREFIX = randomHex(6) + "-";
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestId() {
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    public static String of(HttpServletRequest request, HttpServletResponse response) {
        String id = (String) request.getAttribute(ATTRIBUTE);
        if (id == null) {
            id = PREFIX + Long.toString(COUNTER.incrementAndGet(), 36);
            request.setAttribute(ATTRIBUTE, id);
        }
        if (!response.isCommitted()) {
            response.setHeader(HEADER, id);
        }
        return id;
    }
}
