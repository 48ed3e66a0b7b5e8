package org.ohifgateway.cache;

import java.util.Locale;
import java.util.Set;

/**
 * A DICOMweb GET whose answer the gateway keeps: the metadata of a series or of a study, or a
 * study search (the study list), each in Orthanc's JSON form.
 *
 * @param path  the resource below the route, e.g. {@code studies/1.2/series/3.4/metadata}
 * @param query the query string as Orthanc gets it, or null
 */
public record KeptResource(Kind kind, String studyUid, String seriesUid, String path, String query) {

    /** What is kept, and so what can make it change. */
    public enum Kind {
        SERIES_METADATA, STUDY_METADATA, STUDY_SEARCH
    }

    /** The scope of study searches, which any change in the archive can alter. */
    static final String SEARCHES = "";

    /** Accept headers to which Orthanc gives the same JSON answer (it sends application/dicom+json to each). */
    private static final Set<String> JSON = Set.of("", "*/*", "application/dicom+json", "application/json");

    public static KeptResource seriesMetadata(String studyUid, String seriesUid, String query) {
        return new KeptResource(Kind.SERIES_METADATA, studyUid, seriesUid,
                "studies/" + studyUid + "/series/" + seriesUid + "/metadata", query);
    }

    public static KeptResource studyMetadata(String studyUid, String query) {
        return new KeptResource(Kind.STUDY_METADATA, studyUid, null, "studies/" + studyUid + "/metadata", query);
    }

    public static KeptResource studySearch(String query) {
        return new KeptResource(Kind.STUDY_SEARCH, null, null, "studies", query);
    }

    /** Whether a client sending this Accept header gets the JSON answer that is kept (null: no header). */
    public static boolean acceptsKeptJson(String accept) {
        return accept == null || JSON.contains(accept.trim().toLowerCase(Locale.ROOT));
    }

    /** The name the answer is kept under: resource and query. */
    String key() {
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    /** What a change must touch to alter the answer: the study's UID, or {@link #SEARCHES}. */
    String scope() {
        return kind == Kind.STUDY_SEARCH ? SEARCHES : studyUid;
    }
}
