package org.ohifgateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChangeFollowerTest {

    private final FakeArchive archive = new FakeArchive();
    private final Recorder told = new Recorder();
    private final ChangeFollower follower = new ChangeFollower(archive, told);

    /** What the follower told the cache. */
    private static final class Recorder implements ChangeFollower.Listener {
        boolean traces = true;
        final List<Set<String>> changed = new ArrayList<>();
        final List<Long> changedUpTo = new ArrayList<>();
        final List<Map<String, Long>> changedAt = new ArrayList<>();
        final List<Long> readingFrom = new ArrayList<>();
        final List<String> emptied = new ArrayList<>();
        final List<String> stable = new ArrayList<>();

        @Override
        public void readingFrom(long position) {
            readingFrom.add(position);
        }

        @Override
        public boolean tracesStudies() {
            return traces;
        }

        @Override
        public void changed(Map<String, Long> studyUids, long at) {
            changed.add(studyUids.keySet());
            changedAt.add(studyUids);
            changedUpTo.add(at);
        }

        @Override
        public void changedAll(String why, long upTo) {
            emptied.add(why);
        }

        @Override
        public void seriesStable(String orthancSeriesId) {
            stable.add(orthancSeriesId);
        }

        boolean silent() {
            return changed.isEmpty() && emptied.isEmpty() && stable.isEmpty();
        }
    }

    @BeforeEach
    void anArchiveWithAHistory() throws Exception {
        archive.studies.put("i0", List.of("1.1"));
        archive.log("NewInstance", "Instance", "i0");
        archive.log("NewSeries", "Series", "s0");
        archive.log("NewStudy", "Study", "st0");
        follower.catchUp();
    }

    @Test
    void theFirstReadingOnlyFindsWhereTheFeedIs() {
        assertEquals(3, follower.position());
        assertEquals(List.of(3L), told.readingFrom);
        assertTrue(told.silent(), "what happened before the gateway started concerns nothing it keeps");
    }

    @Test
    void changesAreTracedToTheirStudiesOncePerResource() throws Exception {
        archive.studies.put("i1", List.of("1.2"));
        archive.studies.put("s1", List.of("1.2"));
        archive.studies.put("p1", List.of("1.2", "1.3"));
        archive.log("NewInstance", "Instance", "i1");
        archive.log("UpdatedAttachment", "Instance", "i1");
        archive.log("NewSeries", "Series", "s1");
        archive.log("UpdatedMetadata", "Patient", "p1");
        follower.catchUp();
        assertEquals(List.of(Set.of("1.2", "1.3")), told.changed);
        assertEquals(1, archive.count("studiesOf INSTANCE/i1"), "traced once");
        assertEquals(1, archive.count("studiesOf PATIENT/p1"));
        assertEquals(7, follower.position());
        told.changed.clear();
        follower.catchUp();
        assertTrue(told.silent(), "nothing new");
    }

    @Test
    void eachStudyIsToldWithItsLatestChange() throws Exception {
        archive.studies.put("i1", List.of("1.2"));
        archive.studies.put("i2", List.of("1.3"));
        archive.log("NewInstance", "Instance", "i1");
        archive.log("NewInstance", "Instance", "i2");
        archive.log("UpdatedAttachment", "Instance", "i1");
        archive.log("StableStudy", "Study", "st1");
        follower.catchUp();
        assertEquals(List.of(Map.of("1.2", 6L, "1.3", 5L)), told.changedAt);
        assertEquals(List.of(6L), told.changedUpTo, "the latest change, not the notice after it");
    }

    @Test
    void noticesChangeNothingAndStableSeriesAreReported() throws Exception {
        archive.log("StableSeries", "Series", "s0");
        archive.log("StableStudy", "Study", "st0");
        archive.log("StablePatient", "Patient", "p0");
        follower.catchUp();
        assertEquals(List.of("s0"), told.stable);
        assertTrue(told.changed.isEmpty() && told.emptied.isEmpty());
        assertEquals(0, archive.count("studiesOf"));
    }

    @Test
    void aNewPatientChangesOnlyTheStudyList() throws Exception {
        archive.log("NewPatient", "Patient", "p9");
        follower.catchUp();
        assertEquals(List.of(Set.of()), told.changed);
    }

    @Test
    void withoutStudyAnswersKeptNothingIsTraced() throws Exception {
        told.traces = false;
        archive.log("NewInstance", "Instance", "i0");
        follower.catchUp();
        assertEquals(List.of(Set.of()), told.changed, "the study list still changed");
        assertEquals(0, archive.count("studiesOf"));
    }

    @Test
    void aChangeOfAKindThisVersionDoesNotKnowIsTakenForAChangeOfItsResource() throws Exception {
        archive.studies.put("s2", List.of("1.4"));
        archive.log("SomethingNew", "Series", "s2");
        follower.catchUp();
        assertEquals(List.of(Set.of("1.4")), told.changed);
    }

    @Test
    void aChangedResourceDeletedBeforeItIsTracedEmptiesTheCache() throws Exception {
        archive.log("NewInstance", "Instance", "gone");
        follower.catchUp();
        assertEquals(1, told.emptied.size(), told.emptied.toString());
        archive.log("NewInstance", "Job", "job-1");
        follower.catchUp();
        assertEquals(2, told.emptied.size(), "a resource that is no DICOM level cannot be traced either");
    }

    @Test
    void aChangeWhoseEntryVanishedEmptiesTheCacheOnceALaterOneShowsTheHole() throws Exception {
        archive.log("NewInstance", "Instance", "brief");
        archive.delete("brief");
        follower.catchUp();
        assertTrue(told.silent(), "Orthanc does not tell the sequence beside an entry");
        archive.studies.put("i5", List.of("1.5"));
        archive.log("NewInstance", "Instance", "i5");
        follower.catchUp();
        assertEquals(1, told.emptied.size());
        assertTrue(told.emptied.get(0).contains("1 change(s) since the last reading vanished"), told.emptied.get(0));
        assertEquals(5, follower.position(), "read past the vanished entry");
        follower.catchUp();
        archive.studies.put("i6", List.of("1.6"));
        archive.log("NewInstance", "Instance", "i6");
        follower.catchUp();
        assertEquals(1, told.emptied.size(), "not again and again");
        assertEquals(List.of(Set.of("1.6")), told.changed);
    }

    @Test
    void afterEmptyingTheCacheReadingResumesWithoutEmptyingItAgain() throws Exception {
        // The latest entries' resource deleted: Orthanc's latest entry is older than its sequence.
        archive.log("NewInstance", "Instance", "i7");
        archive.log("NewSeries", "Series", "i7");
        archive.delete("st0");
        archive.delete("i7");
        follower.catchUp();
        assertEquals(1, told.emptied.size(), "the entry read up to was lost");
        follower.catchUp();
        follower.catchUp();
        assertEquals(1, told.emptied.size(), told.emptied.toString());
        assertEquals(5, follower.position(), "past the deleted entries, at Orthanc's sequence");
    }

    @Test
    void losingTheEntryReadUpToEmptiesTheCacheOnce() throws Exception {
        archive.delete("st0");
        follower.catchUp();
        assertEquals(1, told.emptied.size());
        assertTrue(told.emptied.get(0).contains("lost entry 3"), told.emptied.get(0));
        follower.catchUp();
        assertEquals(1, told.emptied.size());
    }

    @Test
    void anotherDatabaseEmptiesTheCache() throws Exception {
        archive.newDatabase();
        archive.log("NewInstance", "Instance", "i0");
        follower.catchUp();
        assertEquals(1, told.emptied.size(), "an empty database that started again");
        assertEquals(1, follower.position());
        archive.newDatabase();
        for (int i = 0; i < 4; i++) {
            archive.log("NewInstance", "Instance", "other" + i);
        }
        follower.catchUp();
        assertEquals(2, told.emptied.size(), "one that reached further, with other entries: " + told.emptied);
    }

    @Test
    void aBacklogTooLongToTraceEmptiesTheCache() throws Exception {
        for (int i = 0; i <= ChangeFollower.MAX_BACKLOG; i++) {
            archive.log("NewInstance", "Instance", "i" + i);
        }
        follower.catchUp();
        assertEquals(1, told.emptied.size());
        assertEquals(0, archive.count("studiesOf"));
        assertEquals(ChangeFollower.MAX_BACKLOG + 4, follower.position());
    }

    @Test
    void longFeedsAreReadInPages() throws Exception {
        for (int i = 0; i < 250; i++) {
            archive.studies.put("i" + i, List.of("1." + i % 3));
            archive.log("NewInstance", "Instance", "i" + i);
        }
        follower.catchUp();
        assertEquals(List.of(Set.of("1.0", "1.1", "1.2")), told.changed);
        assertEquals(250, archive.count("studiesOf"));
        assertEquals(253, follower.position());
        assertTrue(told.emptied.isEmpty());
    }
}
