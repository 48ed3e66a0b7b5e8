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
 * server's page with its version banner. Failed logins are counted here for {@link LoginThrottle},
 * except those the directory could not check: the server's realm answers them 401 like a wrong
 * password (Payara) or fails them with 500 (WildFly), the gateway 503, and nobody is locked out
 * for the directory's outage.
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

    /** Long enough for the directory to come back from a restart. */
    private static final String DIRECTORY_RETRY_SECONDS = "10";

    @Inject
    private LoginGuard logins;
    @Inject
    private UserDirectory directory;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer) || request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) == null) {
            // Called directly rather than as an error page.
            ErrorReply.send(request, response, 404, MESSAGES.get(404));
            return;
        }
        int status = (Integer) code;
        Optional<String> user = BasicLogin.userName(request.getHeader("Authorization"));
        // Payara's realm answers a login it could not check 401, WildFly's (Elytron) 500, before any user is known.
        boolean loginFailed = status == HttpServletResponse.SC_UNAUTHORIZED
                || status == HttpServletResponse.SC_INTERNAL_SERVER_ERROR && request.getUserPrincipal() == null;
        if (loginFailed && user.isPresent() && !directory.reachable()) {
            response.setHeader("Retry-After", DIRECTORY_RETRY_SECONDS);
            ErrorReply.send(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "The user directory cannot be reached, so no login can be checked. Try again in a moment.");
            return;
        }
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            // A 401 without credentials is the browser's first, normal request, not a failure.
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
