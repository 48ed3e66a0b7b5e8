package org.ohifgateway.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.BasicLogin;
import org.ohifgateway.http.ErrorReply;

/**
 * Brute-force protection for the container's BASIC login. The container checks passwords before
 * any filter runs, so the pieces sit around it: failed logins are counted where the container
 * reports them (its 401 goes to {@link RefusalServlet}), and this filter refuses requests of a
 * locked-out user name or address even when their password is right.
 */
public class LoginThrottleFilter extends HttpFilter {

    @Inject
    private LoginGuard logins;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<String> user = BasicLogin.userName(request.getHeader("Authorization"));
        if (user.isPresent()) {
            Optional<Duration> refused = logins.refusedFor(user.get(), request.getRemoteAddr());
            if (refused.isPresent()) {
                sendTooMany(request, response, refused.get());
                return;
            }
        }
        chain.doFilter(request, response);
        if (request.getRemoteUser() != null) {
            logins.succeeded(request.getRemoteUser());
        }
    }

    static void sendTooMany(HttpServletRequest request, HttpServletResponse response, Duration refusedFor)
            throws IOException {
        long seconds = Math.max(1, (refusedFor.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        ErrorReply.send(request, response, 429, "Too many failed logins. Try again in " + seconds + " s.");
    }
}
