package org.ohifgateway.audit;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.BasicLogin;
import org.ohifgateway.http.RequestId;
import org.ohifgateway.http.Roles;
import org.ohifgateway.http.RouteNotes;
import org.ohifgateway.http.Routes;
import org.ohifgateway.security.UserDirectory;

/**
 * Writes the audit line of every request to the archive routes: those the routes served, and
 * (mapped on the error page) those the container refused before a route ran (401, 403), with
 * the user name that was tried, and with a directory the entry the name stands for. Credentials
 * are never written.
 */
public class AuditFilter extends HttpFilter {

    private static final String AUDITED = AuditFilter.class.getName() + ".audited";
    private static final int MAX_PATH = 1024;

    @Inject
    private AuditTrail trail;
    @Inject
    private UserDirectory directory;
    @Inject
    private RecentRoles recentRoles;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            record(request, status, started);
        }
    }

    private void record(HttpServletRequest request, int status, long startNanos) {
        String path = Routes.requested(request);
        if (path == null || request.getAttribute(AUDITED) != null) {
            return;
        }
        Optional<AccessKind> access = RouteNotes.archiveAccess(request, path);
        if (access.isEmpty()) {
            return;
        }
        // Once, however many times the request is reported (one the gateway served may still end in an error page).
        request.setAttribute(AUDITED, Boolean.TRUE);
        AccessKind kind = access.get();
        // An error page is dispatched with its own query; the line names the request that failed.
        Object query = request.getDispatcherType() == DispatcherType.ERROR
                ? request.getAttribute(RequestDispatcher.FORWARD_QUERY_STRING) : request.getQueryString();
        String route = Routes.on(Routes.ADMIN, path) ? Routes.ADMIN : Routes.DICOMWEB;
        AccessedResource resource = AccessedResource.of(kind, path.substring(route.length()),
                query == null ? null : query.toString());
        String user = request.getRemoteUser();
        Set<String> roles = user == null ? Set.of()
                : recentRoles.of(user, () -> Roles.ALL.stream().filter(request::isUserInRole).collect(Collectors.toSet()));
        Optional<String> attempted = user == null ? BasicLogin.userName(request.getHeader("Authorization")) : Optional.empty();
        Optional<String> resolved = user != null ? directory.entryOf(user) : attempted.flatMap(directory::entryOf);
        trail.record(new AuditRecord(Instant.now(), RequestId.of(request), user, attempted, resolved, roles,
                request.getRemoteAddr(), request.getMethod(), kind.name(), truncated(path),
                resource.studyUid(), resource.seriesUid(), resource.instanceUid(), resource.query(), status,
                RouteNotes.sentBytes(request), (System.nanoTime() - startNanos) / 1_000_000, RouteNotes.cache(request)));
    }

    private static String truncated(String path) {
        return path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path;
    }
}
