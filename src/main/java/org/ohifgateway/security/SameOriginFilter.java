package org.ohifgateway.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.ErrorReply;
import org.ohifgateway.http.PublicOrigin;

/** Refuses state-changing requests that do not come from the gateway's own pages (see {@link SameOrigin}). */
public class SameOriginFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        PublicOrigin own = PublicOrigin.of(request);
        Optional<String> refusal = SameOrigin.refusal(request.getMethod(), request.getHeader("Origin"),
                request.getHeader("Referer"), own.toString());
        if (refusal.isPresent()) {
            ErrorReply.send(request, response, HttpServletResponse.SC_FORBIDDEN, refusal.get());
            return;
        }
        chain.doFilter(request, response);
    }
}
