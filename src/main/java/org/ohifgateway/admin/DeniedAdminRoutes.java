package org.ohifgateway.admin;

import java.util.List;
import java.util.Locale;

import org.ohifgateway.http.RejectedRequest;

/**
 * Orthanc routes refused even to administrators: the ones that stop or wipe the archive, run
 * code, or point it at arbitrary hosts. Matched on the checked path, so no spelling slips past.
 */
public final class DeniedAdminRoutes {

    private record Rule(String method, String path, boolean subtree) {

        boolean matches(String requestMethod, String requestPath) {
            if (!method.equals("*") && !method.equalsIgnoreCase(requestMethod)) {
                return false;
            }
            // Case-blind, so that a differently cased spelling cannot slip past.
            String lower = requestPath.toLowerCase(Locale.ROOT);
            return subtree ? lower.startsWith(path) : lower.equals(path) || lower.equals(path + "/");
        }
    }

    private final List<Rule> rules;

    /** @param routes entries like {@code "POST /tools/shutdown"} or {@code "PUT /peers/*"} */
    public DeniedAdminRoutes(List<String> routes) {
        this.rules = routes.stream().map(DeniedAdminRoutes::rule).toList();
    }

    private static Rule rule(String route) {
        String[] parts = route.trim().split("\\s+");
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("gateway.admin.denied-routes: expected \"METHOD /path\", got: " + route);
        }
        String path = parts[1];
        boolean subtree = path.endsWith("*");
        path = path.toLowerCase(Locale.ROOT);
        return new Rule(parts[0], subtree ? path.substring(0, path.length() - 1) : path, subtree);
    }

    /** @param path the decoded, checked path below the Orthanc root, starting with "/" */
    public void check(String method, String path) throws RejectedRequest {
        for (Rule rule : rules) {
            if (rule.matches(method, path)) {
                throw new RejectedRequest(403, "This archive function is disabled on the gateway.");
            }
        }
    }
}
