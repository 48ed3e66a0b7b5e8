package org.ohifgateway.admin;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.CanonicalPath;
import org.ohifgateway.http.RejectedRequest;
import org.ohifgateway.upstream.RoutePolicy;

/** The archive console route: Orthanc Explorer and Orthanc's REST API, for administrators, less the {@link DeniedAdminRoutes}. */
@ApplicationScoped
public class AdminRoute implements RoutePolicy {

    /** The methods of Orthanc's REST API; others (WebDAV's, TRACE, inventions) are not forwarded. */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE");

    @Inject
    GatewayConfig config;

    private DeniedAdminRoutes denied;

    AdminRoute() {
    }

    AdminRoute(DeniedAdminRoutes denied) {
        this.denied = denied;
    }

    @PostConstruct
    void start() {
        denied = new DeniedAdminRoutes(config.deniedAdminRoutes());
    }

    @Override
    public String upstreamPath() {
        return "";
    }

    @Override
    public AccessKind unknownKind() {
        return AccessKind.ADMIN;
    }

    @Override
    public AccessKind classify(String method, CanonicalPath path) throws RejectedRequest {
        if (!METHODS.contains(method)) {
            throw RejectedRequest.methodNotAllowed("Method not allowed on the archive console.", METHODS);
        }
        return AccessKind.ADMIN;
    }

    @Override
    public void admit(AccessKind kind, String method, CanonicalPath path, String accept) throws RejectedRequest {
        denied.check(method, "/" + String.join("/", path.segments()));
    }

    @Override
    public boolean pinnedToAdminNode() {
        return true;
    }

    /** Orthanc answers its root with a relative redirect, which only resolves below a slash. */
    @Override
    public boolean rootNeedsSlash() {
        return true;
    }
}
