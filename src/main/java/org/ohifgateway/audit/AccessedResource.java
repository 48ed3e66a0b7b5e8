package org.ohifgateway.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ohifgateway.http.AccessKind;

/** What a request to the archive was about: its kind, the UIDs it names and its query keys. */
public record AccessedResource(AccessKind kind, Optional<String> studyUid, Optional<String> seriesUid,
                               Optional<String> instanceUid, Map<String, List<String>> query) {

    private static final int MAX_QUERY_KEYS = 50;
    private static final int MAX_VALUE_LENGTH = 256;

    /**
     * @param kind what the route served the request as
     * @param pathBelowRoute the path below the route, as sent (may be null)
     * @param queryString the raw query string (may be null); the body is never read
     */
    public static AccessedResource of(AccessKind kind, String pathBelowRoute, String queryString) {
        List<String> segments = pathBelowRoute == null ? List.of()
                : Arrays.stream(pathBelowRoute.split("/")).filter(s -> !s.isEmpty()).toList();
        Map<String, List<String>> query = parseQuery(queryString);
        if (kind == AccessKind.ADMIN) {
            return new AccessedResource(kind, Optional.empty(), Optional.empty(), Optional.empty(), query);
        }
        Optional<String> study = after(segments, "studies");
        if (study.isEmpty()) {
            // WADO-URI names its objects in the query.
            return new AccessedResource(kind, first(query, "studyUID"), first(query, "seriesUID"),
                    first(query, "objectUID"), query);
        }
        return new AccessedResource(kind, study, after(segments, "series"), after(segments, "instances"), query);
    }

    private static Optional<String> after(List<String> segments, String resource) {
        int index = segments.indexOf(resource);
        return index >= 0 && index + 1 < segments.size() ? Optional.of(segments.get(index + 1)) : Optional.empty();
    }

    private static Optional<String> first(Map<String, List<String>> query, String key) {
        return Optional.ofNullable(query.get(key)).map(values -> values.get(0));
    }

    /** Keys and values as sent, bounded so that a hostile query cannot flood the audit file. */
    static Map<String, List<String>> parseQuery(String queryString) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return query;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (query.size() >= MAX_QUERY_KEYS && !query.containsKey(key)) {
                continue;
            }
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String text) {
        String decoded;
        try {
            decoded = URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = text;
        }
        return decoded.length() > MAX_VALUE_LENGTH ? decoded.substring(0, MAX_VALUE_LENGTH) + "..." : decoded;
    }
}
