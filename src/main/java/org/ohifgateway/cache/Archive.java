package org.ohifgateway.cache;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;

/** What the cache asks Orthanc, in Orthanc's own terms (its resource ids, its change feed). */
interface Archive {

    /** Orthanc's resource levels, as its REST API names them in paths. */
    enum Level {
        PATIENT("patients"), STUDY("studies"), SERIES("series"), INSTANCE("instances");

        final String path;

        Level(String path) {
            this.path = path;
        }

        /** The level of a change's ResourceType ("Instance", "Series", ...), or empty for others (jobs). */
        static Optional<Level> ofResourceType(String resourceType) {
            for (Level level : values()) {
                if (level.name().equalsIgnoreCase(resourceType)) {
                    return Optional.of(level);
                }
            }
            return Optional.empty();
        }
    }

    /** One entry of Orthanc's change feed. */
    record Change(long seq, String type, String resourceType, String id, String date) {
    }

    /**
     * A page of the change feed.
     *
     * @param last with {@code done}, the highest sequence number Orthanc ever gave a change, even
     *             one whose entry a deletion has removed since; otherwise the last entry's
     */
    record ChangePage(List<Change> changes, boolean done, long last) {
    }

    /** How many resources of each level the archive holds. */
    record Counts(long patients, long studies, long series, long instances) {
    }

    /** The entries after a sequence number, at most {@code limit}. */
    ChangePage changes(long since, int limit) throws IOException;

    /** The feed's latest entry, if any, with its number. */
    ChangePage lastChange() throws IOException;

    /** The Study Instance UIDs of the studies a resource belongs to (a patient's: all of them); empty when it is gone. */
    Optional<List<String>> studiesOf(Level level, String orthancId) throws IOException;

    /** A series' Study and Series Instance UIDs (in that order); empty when it is gone. */
    Optional<List<String>> seriesUids(String orthancSeriesId) throws IOException;

    /** Orthanc's ids of the series, or the study (seriesUid null), with these UIDs. */
    List<String> find(String studyUid, String seriesUid) throws IOException;

    /** The instances under a series or study; empty when it is gone. */
    OptionalLong instanceCount(Level level, String orthancId) throws IOException;

    Counts counts() throws IOException;

    /** A DICOMweb answer as a client at the origin gets it, in JSON and gzip when Orthanc compresses. */
    OrthancClient.Body answer(String upstreamPath, PublicOrigin origin, int maxBytes) throws IOException;
}
