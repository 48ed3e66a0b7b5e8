package org.ohifgateway.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows Orthanc's change feed and tells the cache which kept answers a change makes wrong.
 *
 * <p>What Orthanc 1.10 logs, and how it is read: every new instance, series, study or patient, every
 * metadata or attachment update, and the "stable" notices (which change nothing). A change names
 * an Orthanc id, traced here to the Study Instance UIDs whose answers it touches. Deletions are
 * not logged; worse, deleting a resource removes its earlier entries from the feed. So the feed
 * has holes: entry numbers come from a sequence that never goes back, and an entry number the
 * reading skips was given to a change whose resource is gone. A hole, a lost entry where reading
 * resumes, a sequence that went back (another database, a reset) or a backlog too long to trace
 * one by one all empty the whole cache. Orthanc tells the sequence only when no entry follows the
 * one asked after, so holes at the very end show once a later change arrives. Deletions of older
 * resources show only as fewer instances: the cache checks that on each use (see
 * {@link KeptAnswer.Validity}).
 *
 * <p>Not thread-safe: {@link SharedCheck} runs it one reading at a time.
 */
final class ChangeFollower {

    /** Entries per request; Orthanc answers at most 100 (more is asked in pages). */
    static final int PAGE = 100;
    /** Beyond this many unread changes, emptying the cache is cheaper than tracing each. */
    static final int MAX_BACKLOG = 5_000;

    /** What the feed tells the cache. */
    interface Listener {

        /** The first reading found the feed at this position: changes before it were never read. */
        void readingFrom(long position);

        /** Whether answers of any study are kept or being fetched, so changes must be traced to their studies. */
        boolean tracesStudies();

        /**
         * Changes that alter the study list, and the answers of these studies (maybe none).
         *
         * @param studyUids the studies changed, each with the feed position of its latest change
         * @param at        the feed position of the latest of these changes
         */
        void changed(Map<String, Long> studyUids, long at);

        /**
         * The feed cannot tell what changed: every kept answer goes.
         *
         * @param upTo the feed position reading resumes from
         */
        void changedAll(String why, long upTo);

        /** Orthanc considers a series complete: its metadata may be computed ahead of requests. */
        void seriesStable(String orthancSeriesId);
    }

    /**
     * Where reading resumes: the sequence number read up to, and the latest entry at or below it
     * (null: none), which must still be there, unchanged, when reading resumes.
     */
    record Anchor(long seq, Archive.Change witness) {
    }

    private final Archive archive;
    private final Listener listener;
    /** Written by one reading at a time; volatile for {@link #position} on other threads. */
    private volatile Anchor anchor;

    ChangeFollower(Archive archive, Listener listener) {
        this.archive = archive;
        this.listener = listener;
    }

    /** The sequence number read up to; -1 before the first reading. */
    long position() {
        Anchor current = anchor;
        return current == null ? -1 : current.seq();
    }

    /** Reads every change since the last reading and applies it; the first reading only finds where the feed is. */
    void catchUp() throws IOException {
        if (anchor == null) {
            anchor = latest();
            listener.readingFrom(anchor.seq());
            return;
        }
        Archive.Change witness = anchor.witness();
        long from = witness == null ? 0 : witness.seq() - 1;
        boolean witnessSeen = witness == null;
        List<Archive.Change> fresh = new ArrayList<>();
        Archive.ChangePage page;
        do {
            page = archive.changes(from, PAGE);
            for (Archive.Change change : page.changes()) {
                if (change.seq() > anchor.seq()) {
                    fresh.add(change);
                } else if (change.equals(witness)) {
                    witnessSeen = true;
                } else {
                    restart("the change feed holds an entry the gateway did not see before: another database");
                    return;
                }
            }
            if (fresh.size() > MAX_BACKLOG) {
                restart("more than " + MAX_BACKLOG + " changes since the last reading");
                return;
            }
            from = page.last();
        } while (!page.done() && !page.changes().isEmpty());
        // Orthanc gives the sequence (which never goes back) only with an empty page; otherwise the
        // number of the last entry it returned.
        long reached = page.changes().isEmpty() ? page.last() : Math.max(anchor.seq(), lastSeq(page));
        if (!witnessSeen) {
            restart("the change feed lost entry " + witness.seq() + " (its resource deleted, the feed cleared,"
                    + " or another database)");
        } else if (reached < anchor.seq()) {
            restart("the change feed went back from " + anchor.seq() + " to " + reached + ": another database");
        } else if (reached - anchor.seq() > fresh.size()) {
            restart((reached - anchor.seq() - fresh.size()) + " change(s) since the last reading vanished:"
                    + " their resources were deleted");
        } else {
            apply(fresh, reached);
            anchor = new Anchor(reached, fresh.isEmpty() ? witness : fresh.get(fresh.size() - 1));
        }
    }

    private static long lastSeq(Archive.ChangePage page) {
        return page.changes().get(page.changes().size() - 1).seq();
    }

    private void apply(List<Archive.Change> changes, long reached) throws IOException {
        boolean trace = listener.tracesStudies();
        long altered = -1;
        Map<String, Set<String>> traced = new HashMap<>();
        Map<String, Long> studies = new HashMap<>();
        List<String> stable = new ArrayList<>();
        for (Archive.Change change : changes) {
            switch (change.type()) {
                case "StableSeries" -> stable.add(change.id());
                case "StableStudy", "StablePatient", "CompletedSeries" -> {
                    // notices about the archive's own bookkeeping: nothing an answer shows changed
                }
                case "NewPatient" -> altered = change.seq();
                default -> {
                    // New instances, series and studies, metadata and attachment updates, and any
                    // type this version does not know, which is taken to change its resource.
                    altered = change.seq();
                    if (trace) {
                        String resource = change.resourceType() + "/" + change.id();
                        if (!traced.containsKey(resource)) {
                            Optional<List<String>> uids = studiesOf(change);
                            if (uids.isEmpty()) {
                                listener.changedAll("a " + change.resourceType() + " changed (" + change.type()
                                        + ") and was deleted before the gateway could tell its study", reached);
                                return;
                            }
                            traced.put(resource, Set.copyOf(uids.get()));
                        }
                        traced.get(resource).forEach(uid -> studies.put(uid, change.seq()));
                    }
                }
            }
        }
        if (altered >= 0) {
            listener.changed(studies, altered);
        }
        stable.forEach(listener::seriesStable);
    }

    private Optional<List<String>> studiesOf(Archive.Change change) throws IOException {
        Optional<Archive.Level> level = Archive.Level.ofResourceType(change.resourceType());
        return level.isEmpty() ? Optional.empty() : archive.studiesOf(level.get(), change.id());
    }

    /** Empties the cache and resumes reading from where the feed is now. */
    private void restart(String why) throws IOException {
        // Read before emptying: an answer fetched after emptying then includes every change up to here.
        Anchor now = latest();
        listener.changedAll(why, now.seq());
        anchor = now;
    }

    /**
     * Where the feed is: its latest entry, then the sequence beyond it (entries after the latest
     * may have been deleted, and new ones may be arriving).
     */
    private Anchor latest() throws IOException {
        Archive.ChangePage latest = archive.lastChange();
        Archive.Change witness = latest.changes().isEmpty() ? null : latest.changes().get(latest.changes().size() - 1);
        Archive.ChangePage page = new Archive.ChangePage(List.of(), false, latest.last());
        for (int pages = 0; !page.done() && pages <= MAX_BACKLOG / PAGE; pages++) {
            page = archive.changes(page.last(), PAGE);
            if (!page.changes().isEmpty()) {
                witness = page.changes().get(page.changes().size() - 1);
                page = new Archive.ChangePage(page.changes(), page.done(), lastSeq(page));
            }
        }
        return new Anchor(page.last(), witness);
    }
}
