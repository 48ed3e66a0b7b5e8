package org.ohifgateway.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import org.ohifgateway.http.PercentEncoding;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;
import org.ohifgateway.upstream.UpstreamFailure;

/** {@link Archive} over Orthanc's REST API (1.10 and later) and its DICOMweb plugin. */
final class OrthancArchive implements Archive {

    /** Orthanc's small REST answers (feed pages, resources, counts) are far below this. */
    private static final int MAX_REST_ANSWER = 4 << 20;
    private static final JsonReaderFactory JSON = Json.createReaderFactory(null);
    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(null);
    /** The origin named to Orthanc's REST API, whose answers hold no URLs built from it. */
    private static final PublicOrigin REST = new PublicOrigin("http", "localhost");
    /** The Accept header answers are kept for: what OHIF's DICOMweb client sends. */
    private static final String DICOM_JSON = "application/dicom+json";

    private final OrthancClient orthanc;
    /** For the small questions, whose answers the requests that wait on them need soon. */
    private final Duration checkTimeout;
    /** For the answers themselves, which Orthanc may compute for long. */
    private final Duration answerTimeout;

    OrthancArchive(OrthancClient orthanc, Duration checkTimeout, Duration answerTimeout) {
        this.orthanc = orthanc;
        this.checkTimeout = checkTimeout;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public ChangePage changes(long since, int limit) throws IOException {
        return page(rest("/changes?since=" + since + "&limit=" + limit).orElseThrow(() -> notFound("/changes")));
    }

    @Override
    public ChangePage lastChange() throws IOException {
        return page(rest("/changes?last").orElseThrow(() -> notFound("/changes")));
    }

    private static ChangePage page(JsonStructure json) throws IOException {
        try {
            JsonObject page = json.asJsonObject();
            List<Change> changes = new ArrayList<>();
            for (JsonValue entry : page.getJsonArray("Changes")) {
                JsonObject change = entry.asJsonObject();
                changes.add(new Change(change.getJsonNumber("Seq").longValueExact(), change.getString("ChangeType"),
                        change.getString("ResourceType"), change.getString("ID"), change.getString("Date", "")));
            }
            return new ChangePage(changes, page.getBoolean("Done"), page.getJsonNumber("Last").longValueExact());
        } catch (RuntimeException e) {
            throw new IOException("Orthanc's change feed is not as expected: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<List<String>> studiesOf(Level level, String orthancId) throws IOException {
        String resource = "/" + level.path + "/" + segment(orthancId);
        Optional<JsonStructure> json = rest(switch (level) {
            case PATIENT -> resource + "/studies";
            case STUDY -> resource;
            case SERIES, INSTANCE -> resource + "/study";
        });
        if (json.isEmpty()) {
            return Optional.empty();
        }
        List<JsonValue> studies = json.get() instanceof JsonArray array ? array : List.of(json.get());
        List<String> uids = new ArrayList<>();
        for (JsonValue study : studies) {
            uids.add(mainTag(study, "StudyInstanceUID"));
        }
        return Optional.of(uids);
    }

    @Override
    public Optional<List<String>> seriesUids(String orthancSeriesId) throws IOException {
        Optional<JsonStructure> series = rest("/series/" + segment(orthancSeriesId));
        if (series.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonStructure> study = rest("/studies/" + segment(text(series.get(), "ParentStudy")));
        if (study.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(List.of(mainTag(study.get(), "StudyInstanceUID"), mainTag(series.get(), "SeriesInstanceUID")));
    }

    @Override
    public List<String> find(String studyUid, String seriesUid) throws IOException {
        var query = BUILDERS.createObjectBuilder().add("StudyInstanceUID", studyUid);
        if (seriesUid != null) {
            query.add("SeriesInstanceUID", seriesUid);
        }
        String body = BUILDERS.createObjectBuilder().add("Level", seriesUid == null ? "Study" : "Series")
                .add("Query", query).build().toString();
        OrthancClient.Body answer = orthanc.post("/tools/find", body, MAX_REST_ANSWER, checkTimeout);
        JsonStructure json = parse(answer, "/tools/find").orElseThrow(() -> notFound("/tools/find"));
        try {
            return json.asJsonArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        } catch (RuntimeException e) {
            throw new IOException("Orthanc's /tools/find answer is not a list of ids", e);
        }
    }

    @Override
    public OptionalLong instanceCount(Level level, String orthancId) throws IOException {
        Optional<JsonStructure> statistics = rest("/" + level.path + "/" + segment(orthancId) + "/statistics");
        if (statistics.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(count(statistics.get(), "CountInstances"));
    }

    @Override
    public Counts counts() throws IOException {
        JsonStructure statistics = rest("/statistics").orElseThrow(() -> notFound("/statistics"));
        return new Counts(count(statistics, "CountPatients"), count(statistics, "CountStudies"),
                count(statistics, "CountSeries"), count(statistics, "CountInstances"));
    }

    @Override
    public OrthancClient.Body answer(String upstreamPath, PublicOrigin origin, int maxBytes) throws IOException {
        return credentialsAccepted(orthanc.read(upstreamPath, origin, DICOM_JSON, true, maxBytes, answerTimeout));
    }

    /** A REST resource as JSON; empty when Orthanc does not have it (404). */
    private Optional<JsonStructure> rest(String path) throws IOException {
        return parse(orthanc.read(path, REST, "application/json", false, MAX_REST_ANSWER,
                checkTimeout), path);
    }

    private static Optional<JsonStructure> parse(OrthancClient.Body answer, String path) throws IOException {
        credentialsAccepted(answer);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200 || !answer.complete()) {
            throw new IOException("Orthanc answered " + path + " with HTTP " + answer.status()
                    + (answer.complete() ? "" : " and a body too long to read"));
        }
        try (var reader = JSON.createReader(new ByteArrayInputStream(answer.bytes()))) {
            return Optional.of(reader.read());
        } catch (JsonException e) {
            throw new IOException("Orthanc's answer to " + path + " is not JSON", e);
        }
    }

    private static OrthancClient.Body credentialsAccepted(OrthancClient.Body answer) throws UpstreamFailure {
        if (answer.status() == 401) {
            throw UpstreamFailure.credentialsRefused();
        }
        return answer;
    }

    private static String mainTag(JsonValue resource, String tag) throws IOException {
        try {
            return resource.asJsonObject().getJsonObject("MainDicomTags").getString(tag);
        } catch (RuntimeException e) {
            throw new IOException("Orthanc's resource has no " + tag, e);
        }
    }

    private static String text(JsonValue resource, String field) throws IOException {
        try {
            return resource.asJsonObject().getString(field);
        } catch (RuntimeException e) {
            throw new IOException("Orthanc's resource has no " + field, e);
        }
    }

    /** A count Orthanc writes as a number (or, for sizes, as a string). */
    private static long count(JsonValue statistics, String field) throws IOException {
        try {
            JsonValue value = statistics.asJsonObject().get(field);
            return value instanceof JsonString string ? Long.parseLong(string.getString())
                    : statistics.asJsonObject().getJsonNumber(field).longValueExact();
        } catch (RuntimeException e) {
            throw new IOException("Orthanc's statistics have no " + field, e);
        }
    }

    /** Orthanc's ids are hex and dashes; anything else from the feed is encoded, never spliced in. */
    private static String segment(String orthancId) {
        return PercentEncoding.encode(orthancId, c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '-');
    }

    private static IOException notFound(String path) {
        return new IOException("Orthanc has no " + path + " (HTTP 404)");
    }
}
