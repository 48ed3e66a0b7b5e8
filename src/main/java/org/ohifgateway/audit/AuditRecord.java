package org.ohifgateway.audit;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

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
    // gateway's hottest spot under load. A generator writes the line straight out, without the
    // object tree a builder makes first.
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    /** "success", or why the request failed, in ATNA's outcome terms. */
    public String outcome() {
        if (status < 400) {
            return "success";
        }
        return status == 401 || status == 403 || status == 429 ? "refused" : status < 500 ? "invalid request" : "failure";
    }

    public String toJson() {
        StringWriter line = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject()
                    .write("time", time.toString())
                    .write("requestId", requestId)
                    .write("user", user == null ? "" : user);
            attemptedUser.ifPresent(name -> json.write("attemptedUser", name));
            resolvedUser.ifPresent(entry -> json.write("resolvedUser", entry));
            json.writeStartArray("roles");
            roles.stream().sorted().forEach(json::write);
            json.writeEnd()
                    .write("client", client)
                    .write("method", method)
                    .write("route", route)
                    .write("path", path);
            studyUid.ifPresent(uid -> json.write("studyUid", uid));
            seriesUid.ifPresent(uid -> json.write("seriesUid", uid));
            instanceUid.ifPresent(uid -> json.write("instanceUid", uid));
            if (!query.isEmpty()) {
                json.writeStartObject("query");
                query.forEach((key, values) -> {
                    json.writeStartArray(key);
                    values.forEach(json::write);
                    json.writeEnd();
                });
                json.writeEnd();
            }
            json.write("status", status)
                    .write("outcome", outcome())
                    .write("bytes", bytes)
                    .write("durationMs", durationMillis);
            cache.ifPresent(outcome -> json.write("cache", outcome));
            json.writeEnd();
        }
        return line.toString();
    }
}
