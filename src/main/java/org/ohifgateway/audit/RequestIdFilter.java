package org.ohifgateway.audit;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.RequestId;

/** Gives every request its {@link RequestId}, kept through its error page, and states it in the answer. */
public class RequestIdFilter extends HttpFilter {

    // A random prefix per start plus a counter: unique across restarts and nodes without asking
    // the shared SecureRandom on every request, as UUID.randomUUID() does.
    private final String prefix = randomHex(6) + "-";
    private final AtomicLong counter = new AtomicLong();

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = RequestId.of(request);
        if (id == null) {
            id = prefix + Long.toString(counter.incrementAndGet(), 36);
            RequestId.set(request, id);
        }
        // Again on the error dispatch: the container may have cleared the headers for its error page.
        response.setHeader(RequestId.HEADER, id);
        chain.doFilter(request, response);
    }
}
