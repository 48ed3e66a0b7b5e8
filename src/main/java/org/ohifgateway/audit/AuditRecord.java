package org.ohifgateway.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;

/**
 * One access to the archive, as the security officer needs it to answer "who looked at which
 * study, and when": the facts an IHE ATNA / DICOM PS3.15 audit message records (user, roles,
 * client address, what was done to which study, series and instance, outcome), as one JSON line,
 * with whether the answer came from the gateway's cache ("hit") or from Orthanc through it ("miss").
 * Credentials never appear: only the user name the container authenticated, or for a refused
 * login the name that was tried, each as typed; with a directory, also the entry (DN) that name
 * stands for, so that one person's spellings of the name are seen as one.
 */
public record AuditRecord(Instant time, String requestId, String user, Optional<String> attemptedUser,
                          Optional<String> resolvedUser, Set<String> roles, String client,
                          String method, String route, String path, Optional<String> studyUid,
                          Optional<String> seriesUid, Optional<String> instanceUid,
                          Map<String, List<String>> query, int status, long bytes, long durationMillis,
                          Optional<String> cache) {

    // Json.create* looks the provider up on every call, under a lock: once per request was the
    // gateway's hottest spot under load.
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    /** "success", or why the request failed, in ATNA's outcome terms. */
    public String outcome() {
        if (status < 400) {
            return "success";
        }
        return status == 401 || status == 403 || status == 429 ? "refused" : status < 500 ? "invalid request" : "failure";
    }

    public String toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("time", time.toString())
                .add("requestId", requestId)
                .add("user", user == null ? "" : user);
        attemptedUser.ifPresent(name -> json.add("attemptedUser", name));
        resolvedUser.ifPresent(entry -> json.add("resolvedUser", entry));
        JsonArrayBuilder roleArray = JSON.createArrayBuilder();
        roles.stream().sorted().forEach(roleArray::add);
        json.add("roles", roleArray)
                .add("client", client)
                .add("method", method)
                .add("route", route)
                .add("path", path);
        studyUid.ifPresent(uid -> json.add("studyUid", uid));
        seriesUid.ifPresent(uid -> json.add("seriesUid", uid));
        instanceUid.ifPresent(uid -> json.add("instanceUid", uid));
        if (!query.isEmpty()) {
            JsonObjectBuilder keys = JSON.createObjectBuilder();
            query.forEach((key, values) -> {
                JsonArrayBuilder array = JSON.createArrayBuilder();
                values.forEach(array::add);
                keys.add(key, array);
            });
            json.add("query", keys);
        }
        json.add("status", status)
                .add("outcome", outcome())
                .add("bytes", bytes)
                .add("durationMs", durationMillis);
        cache.ifPresent(outcome -> json.add("cache", outcome));
        return json.build().toString();
    }
}
