package org.ohifgateway.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.audit.AuditTrail;
import org.ohifgateway.audit.RequestId;
import org.ohifgateway.upstream.ErrorReply;

/**
 * The error page for everything the container itself refuses or fails (401 and 403 from the
 * login and role checks, 404, 405, 500): a short answer in the client's format instead of the
 * server's page with its version banner. Failed logins are counted here for {@link LoginThrottle},
 * and refused access to the archive routes goes into the audit trail.
 */
public class RefusalServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(RefusalServlet.class.getName());
    /** Failed logins that may wait out their delay at the same time (the server has ~200 request threads). */
    private static final LoginDelay DELAY = new LoginDelay(16, delay -> Thread.sleep(delay.toMillis()));
    private static final Map<Integer, String> MESSAGES = Map.of(
            400, "Bad request.",
            401, "Sign in with your gateway user name and password.",
            403, "Your user may not do this.",
            404, "Not found.",
            405, "Method not allowed.",
            413, "Request too large.",
            500, "Internal error.");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object failedUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (!(code instanceof Integer) || failedUri == null) {
            // Called directly rather than as an error page.
            ErrorReply.send(request, response, 404, MESSAGES.get(404), RequestId.of(request, response));
            return;
        }
        int status = (Integer) code;
        String requestId = RequestId.of(request, response);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            Optional<Duration> refused = loginFailed(request);
            if (refused.isPresent()) {
                audit(request, requestId, failedUri.toString(), 429, started);
                LoginThrottleFilter.sendTooMany(request, response, refused.get());
                return;
            }
        }
        audit(request, requestId, failedUri.toString(), status, started);
        ErrorReply.send(request, response, status, MESSAGES.getOrDefault(status, "Request failed."), requestId);
    }

    /** Counts a failed login and delays the answer as the throttle says; tells if the caller is now refused. */
    private Optional<Duration> loginFailed(HttpServletRequest request) {
        LoginThrottle throttle = LoginThrottleFilter.throttle(getServletContext());
        String address = request.getRemoteAddr();
        // A 401 without credentials is the browser's first, normal request, not a failure.
        Optional<String> user = BasicLogin.userName(request.getHeader("Authorization"));
        if (user.isPresent()) {
            boolean wasRefused = throttle.refusedFor(user.get(), address).isPresent();
            Duration delay = throttle.failed(user.get(), address);
            LOG.info(() -> "failed login for user " + user.get() + " from " + address);
            if (!wasRefused && throttle.refusedFor(user.get(), address).isPresent()) {
                LOG.warning("logins for user " + user.get() + " or from " + address
                        + " refused for a cool-down after repeated failures");
            }
            DELAY.pause(delay);
        }
        return throttle.refusedFor(user.orElse(null), address);
    }

    private static void audit(HttpServletRequest request, String requestId, String uri, int status, long started) {
        String context = request.getContextPath();
        if (uri.startsWith(context) && AuditTrail.covers(uri.substring(context.length()))) {
            Object query = request.getAttribute(RequestDispatcher.FORWARD_QUERY_STRING);
            AuditTrail.record(request, requestId, uri, query == null ? null : query.toString(), status, 0, started);
        }
    }
}
