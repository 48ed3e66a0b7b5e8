package org.ohifgateway.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.ohifgateway.http.RejectedRequest;

/**
 * Orthanc routes refused even to administrators: the ones that stop or wipe the archive, run
 * code, or point it at arbitrary hosts. Matched segment by segment on the checked path, case-blind,
 * so no spelling slips past; a rule starting {@code /**} holds below any root (a plugin's resource
 * wherever Orthanc's configuration puts the plugin).
 */
public final class DeniedAdminRoutes {

    private static final String ANY_ROOT = "**";
    private static final String SUBTREE = "*";

    private record Rule(String method, boolean anyRoot, List<String> segments, boolean subtree) {

        boolean matches(String requestMethod, List<String> request) {
            if (!method.equals("*") && !method.equalsIgnoreCase(requestMethod)) {
                return false;
            }
            int lastStart = anyRoot ? request.size() - segments.size() : 0;
            for (int start = 0; start <= lastStart; start++) {
                int rest = request.size() - start;
                if ((subtree ? rest >= segments.size() : rest == segments.size())
                        && request.subList(start, start + segments.size()).equals(segments)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Rule> rules;

    /** @param routes entries like {@code "POST /tools/shutdown"}, {@code "PUT /peers/*"} or {@code "PUT /**}{@code /servers/*"} */
    public DeniedAdminRoutes(List<String> routes) {
        this.rules = routes.stream().map(DeniedAdminRoutes::rule).toList();
    }

    private static Rule rule(String route) {
        String[] parts = route.trim().split("\\s+");
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("gateway.admin.denied-routes (GATEWAY_ADMIN_DENIED_ROUTES): expected \"METHOD /path\", got: " + route);
        }
        List<String> segments = new ArrayList<>(segments(parts[1]));
        boolean anyRoot = !segments.isEmpty() && segments.get(0).equals(ANY_ROOT);
        if (anyRoot) {
            segments.remove(0);
        }
        boolean subtree = !segments.isEmpty() && segments.get(segments.size() - 1).equals(SUBTREE);
        if (subtree) {
            segments.remove(segments.size() - 1);
        }
        if (segments.isEmpty() || segments.contains(ANY_ROOT) || segments.contains(SUBTREE)) {
            throw new IllegalArgumentException("gateway.admin.denied-routes (GATEWAY_ADMIN_DENIED_ROUTES): \"/**\" may only start a path and \"*\""
                    + " only end it, around at least one name, got: " + route);
        }
        return new Rule(parts[0], anyRoot, List.copyOf(segments), subtree);
    }

    private static List<String> segments(String path) {
        return Arrays.stream(path.toLowerCase(Locale.ROOT).split("/")).filter(segment -> !segment.isEmpty()).toList();
    }

    /** @param path the decoded, checked path below the Orthanc root, starting with "/" */
    public void check(String method, String path) throws RejectedRequest {
        List<String> request = segments(path);
        for (Rule rule : rules) {
            if (rule.matches(method, request)) {
                throw new RejectedRequest(403, "This archive function is disabled on the gateway.");
            }
        }
    }
}
