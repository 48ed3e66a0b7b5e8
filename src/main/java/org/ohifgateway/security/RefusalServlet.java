package org.ohifgateway.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.BasicLogin;
import org.ohifgateway.http.ErrorReply;

/**
 * The error page for everything the container itself refuses or fails (401 and 403 from the
 * login and role checks, 404, 405, 500): a short answer in the client's format instead of the
 * server's page with its version banner. Failed logins are counted here for {@link LoginThrottle}.
 */
public class RefusalServlet extends HttpServlet {

    private static final Map<Integer, String> MESSAGES = Map.of(
            400, "Bad request.",
            401, "Sign in with your gateway user name and password.",
            403, "Your user may not do this.",
            404, "Not found.",
            405, "Method not allowed.",
            413, "Request too large.",
            500, "Internal error.");

    @Inject
    private LoginGuard logins;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer) || request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) == null) {
            // Called directly rather than as an error page.
            ErrorReply.send(request, response, 404, MESSAGES.get(404));
            return;
        }
        int status = (Integer) code;
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            // A 401 without credentials is the browser's first, normal request, not a failure.
            Optional<String> user = BasicLogin.userName(request.getHeader("Authorization"));
            Optional<Duration> refused = user.isPresent() ? logins.failed(user.get(), request.getRemoteAddr())
                    : logins.refusedFor(null, request.getRemoteAddr());
            if (refused.isPresent()) {
                LoginThrottleFilter.sendTooMany(request, response, refused.get());
                return;
            }
        }
        ErrorReply.send(request, response, status, MESSAGES.getOrDefault(status, "Request failed."));
    }
}
