package org.ohifgateway.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;

/**
 * Orthanc as the cache sees it, in memory: a change feed that behaves as Orthanc 1.10's (entries
 * numbered from a sequence that never goes back, entries of deleted resources removed, the
 * sequence told only with an empty page), resources
 * traced to their studies, instance counts, and DICOMweb answers that name the client's origin.
 */
final class FakeArchive implements Archive {

    private final List<Change> feed = new ArrayList<>();
    private long sequence;
    final Map<String, List<String>> studies = new HashMap<>();
    final Map<String, List<String>> seriesUids = new HashMap<>();
    final Map<String, List<String>> ids = new HashMap<>();
    final Map<String, Long> instances = new HashMap<>();
    volatile Counts counts = new Counts(1, 1, 1, 1);
    /** When set, reading the feed fails with it (Orthanc down). */
    volatile IOException feedFailure;
    /** What was asked, in order: "studiesOf SERIES/s1", "answer /pacs/studies?...", ... */
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** The body of an answer, by path and origin; by default JSON naming the origin's URL of the path. */
    volatile Answering answering = (path, origin) -> new OrthancClient.Body(200, "application/dicom+json", null,
            ("[{\"url\":\"" + origin + path + "\",\"version\":" + sequence + "}]").getBytes(StandardCharsets.UTF_8), true);

    interface Answering {
        OrthancClient.Body answer(String path, PublicOrigin origin) throws IOException;
    }

    /**
     * Holds the next answer on its way: Orthanc computes it, {@code computing} is counted down, and
     * it leaves once {@code release} is; the answers after it pass at once.
     */
    void holdNextAnswer(CountDownLatch computing, CountDownLatch release) {
        Answering plain = answering;
        AtomicBoolean held = new AtomicBoolean();
        answering = (path, origin) -> {
            OrthancClient.Body body = plain.answer(path, origin);
            if (held.compareAndSet(false, true)) {
                computing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return body;
        };
    }

    /** Orthanc logs a change. */
    synchronized long log(String type, String resourceType, String id) {
        sequence++;
        feed.add(new Change(sequence, type, resourceType, id, "20260101T0000" + sequence));
        return sequence;
    }

    /** Orthanc deletes a resource: its entries leave the feed, the sequence stays. */
    synchronized void delete(String id) {
        feed.removeIf(change -> change.id().equals(id));
        studies.remove(id);
    }

    /** Orthanc starts on another, new database. */
    synchronized void newDatabase() {
        feed.clear();
        sequence = 0;
    }

    /** A series in a study, as Orthanc indexes it: ids, UIDs, instance count. */
    void series(String studyUid, String seriesUid, String orthancSeriesId, long instanceCount) {
        studies.put(orthancSeriesId, List.of(studyUid));
        seriesUids.put(orthancSeriesId, List.of(studyUid, seriesUid));
        ids.put(studyUid + "|" + seriesUid, List.of(orthancSeriesId));
        instances.put(orthancSeriesId, instanceCount);
    }

    @Override
    public synchronized ChangePage changes(long since, int limit) throws IOException {
        asked.add("changes " + since);
        if (feedFailure != null) {
            throw feedFailure;
        }
        List<Change> page = feed.stream().filter(change -> change.seq() > since).limit(limit).toList();
        boolean done = feed.stream().filter(change -> change.seq() > since).count() <= limit;
        // As Orthanc: the sequence only with an empty page, else the last entry's number.
        return new ChangePage(page, done, page.isEmpty() ? sequence : page.get(page.size() - 1).seq());
    }

    @Override
    public synchronized ChangePage lastChange() {
        asked.add("last");
        if (feed.isEmpty()) {
            return new ChangePage(List.of(), true, sequence);
        }
        Change last = feed.get(feed.size() - 1);
        return new ChangePage(List.of(last), true, last.seq());
    }

    @Override
    public Optional<List<String>> studiesOf(Level level, String orthancId) {
        asked.add("studiesOf " + level + "/" + orthancId);
        return Optional.ofNullable(studies.get(orthancId));
    }

    @Override
    public Optional<List<String>> seriesUids(String orthancSeriesId) {
        return Optional.ofNullable(seriesUids.get(orthancSeriesId));
    }

    @Override
    public List<String> find(String studyUid, String seriesUid) {
        return ids.getOrDefault(studyUid + "|" + seriesUid, List.of());
    }

    @Override
    public OptionalLong instanceCount(Level level, String orthancId) {
        asked.add("count " + orthancId);
        Long count = instances.get(orthancId);
        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
    }

    @Override
    public Counts counts() {
        asked.add("counts");
        return counts;
    }

    @Override
    public OrthancClient.Body answer(String upstreamPath, PublicOrigin origin, int maxBytes) throws IOException {
        asked.add("answer " + upstreamPath);
        return answering.answer(upstreamPath, origin);
    }

    /** How often something was asked. */
    long count(String prefix) {
        return asked.stream().filter(question -> question.startsWith(prefix)).count();
    }
}
