package org.ohifgateway.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.audit.RequestId;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.upstream.ErrorReply;

/**
 * Brute-force protection for the container's BASIC login. The container checks passwords before
 * any filter runs, so the pieces sit around it: failed logins are counted where the container
 * reports them (its 401 goes to {@link RefusalServlet}), and this filter refuses requests of a
 * locked-out user name or address even when their password is right.
 */
public class LoginThrottleFilter extends HttpFilter {

    private LoginThrottle throttle;

    static synchronized LoginThrottle throttle(ServletContext context) {
        String name = LoginThrottle.class.getName();
        LoginThrottle throttle = (LoginThrottle) context.getAttribute(name);
        if (throttle == null) {
            throttle = new LoginThrottle(GatewayConfig.fromMicroProfile().loginLimits(), Clock.systemUTC());
            context.setAttribute(name, throttle);
        }
        return throttle;
    }

    @Override
    public void init() {
        throttle = throttle(getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<String> user = BasicLogin.userName(request.getHeader("Authorization"));
        if (user.isPresent()) {
            Optional<Duration> refused = throttle.refusedFor(user.get(), request.getRemoteAddr());
            if (refused.isPresent()) {
                sendTooMany(request, response, refused.get());
                return;
            }
        }
        chain.doFilter(request, response);
        if (request.getRemoteUser() != null) {
            throttle.succeeded(request.getRemoteUser());
        }
    }

    static void sendTooMany(HttpServletRequest request, HttpServletResponse response, Duration refusedFor)
            throws IOException {
        long seconds = Math.max(1, (refusedFor.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        ErrorReply.send(request, response, 429, "Too many failed logins. Try again in " + seconds + " s.",
                RequestId.of(request, response));
    }
}
