package org.ohifgateway.security;

import java.io.IOException;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.ErrorReply;
import org.ohifgateway.http.RequestFraming;
import org.ohifgateway.http.ServerConnection;

/**
 * Refuses requests whose end is in doubt ({@link RequestFraming}) before anything is forwarded,
 * and ends their connection, as it does after every chunked request: the answer closes it, and
 * what the client sent after the request is dropped rather than read as a further request. Mapped
 * on the error page too: the container refuses a login before any filter runs, and its answer
 * must end the connection all the same.
 */
public class FramingFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(FramingFilter.class.getName());
    private static final String VERDICT = FramingFilter.class.getName() + ".verdict";

    private final AtomicBoolean warned = new AtomicBoolean();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        RequestFraming.Verdict verdict = (RequestFraming.Verdict) request.getAttribute(VERDICT);
        if (verdict == null) {
            verdict = RequestFraming.of(request.getProtocol(), request.getMethod(),
                    Collections.list(request.getHeaders("Transfer-Encoding")),
                    Collections.list(request.getHeaders("Content-Length")));
            request.setAttribute(VERDICT, verdict);
        }
        if (verdict.endsConnection()) {
            // Again on the error page: the container may have cleared the headers for it.
            response.setHeader("Connection", "close");
        }
        if (verdict.refusal() != null) {
            if (verdict.endsConnection()) {
                dropWhatFollows(response);
            }
            ErrorReply.send(request, response, verdict.refusal());
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (verdict.endsConnection()) {
                // Only now: the body itself must still be read.
                dropWhatFollows(response);
            }
        }
    }

    private void dropWhatFollows(HttpServletResponse response) {
        if (!ServerConnection.dropWhatFollows(response) && warned.compareAndSet(false, true)) {
            LOG.warning("This server does not let the gateway drop what a client sends after a request whose end"
                    + " is in doubt; only the answer's Connection: close ends the connection.");
        }
    }
}
