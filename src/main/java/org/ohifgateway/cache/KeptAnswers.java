package org.ohifgateway.cache;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;

/**
 * The cache's workings, without a server: answers kept per resource, given out only after the
 * change feed was read past the moment the request came in and the answer's own check held
 * (see {@link KeptAnswer.Validity}); otherwise fetched once for all the requests that ask at the
 * same time, and kept unless a change touched it meanwhile. Answers hold the URLs of the origin
 * they were fetched for; a client at another origin gets them rewritten (kept as well).
 */
final class KeptAnswers implements ChangeFollower.Listener {

    private static final Logger LOG = Logger.getLogger(KeptAnswers.class.getName());
    /** Separates a kept answer's key from the origin of a rewritten copy (a line break is in no resource or origin). */
    private static final String FOR_ORIGIN = "\n";
    /** How many resources too large to keep are remembered, so Orthanc is not asked for them twice again. */
    private static final int TOO_LARGE_REMEMBERED = 1_000;
    /**
     * How many stable series wait to be computed at most; beyond, the oldest are let go (a bulk
     * import would otherwise keep Orthanc computing series nobody opens, which the size limit
     * would evict again anyway).
     */
    static final int STABLE_SERIES_QUEUED = 100;

    private final Archive archive;
    private final AnswerStore store;
    private final int maxAnswerBytes;
    private final boolean precompute;
    private final Counters counters = new Counters();
    private final SingleFlight<KeptResource, Fetched> flights = new SingleFlight<>();
    private final ChangeFollower follower;
    private final SharedCheck feed;
    private final SharedCheck counting;
    private final BlockingDeque<String> stableSeries = new LinkedBlockingDeque<>(STABLE_SERIES_QUEUED);
    /** Keys whose answer was longer than an answer may be to be kept, least recently found first. */
    private final Set<String> tooLarge = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > TOO_LARGE_REMEMBERED;
        }
    });
    private volatile Archive.Counts archiveCounts;
    private volatile KeptRoute route;
    private volatile PublicOrigin lastOrigin;

    /** What a fetch brought: Orthanc's answer, and the form it is kept in if it may be. */
    private record Fetched(OrthancClient.Body body, KeptAnswer keepable) {
    }

    /**
     * @param maxAnswerBytes the largest body read for keeping; a longer one goes to the client through the proxy
     * @param precompute whether series are fetched when Orthanc reports them stable
     */
    KeptAnswers(Archive archive, AnswerStore store, int maxAnswerBytes, boolean precompute, PublicOrigin firstOrigin) {
        this.archive = archive;
        this.store = store;
        this.maxAnswerBytes = maxAnswerBytes;
        this.precompute = precompute;
        this.lastOrigin = firstOrigin;
        this.follower = new ChangeFollower(archive, this);
        this.feed = new SharedCheck(follower::catchUp);
        this.counting = new SharedCheck(() -> archiveCounts = archive.counts());
    }

    /** The route answers are fetched through, also for series computed ahead of requests. */
    void serveFor(KeptRoute keptRoute) {
        this.route = keptRoute;
    }

    /**
     * The reply to a GET of a kept resource; empty when the cache cannot tell whether a kept answer
     * still holds (Orthanc did not answer its checks) or the answer is too long to keep, and the
     * request should go to Orthanc as usual. (Orthanc then computes a too long answer twice, the
     * first time only: such resources are remembered and go to Orthanc directly after that.)
     */
    Optional<Reply> answer(KeptRoute keptRoute, KeptResource resource, PublicOrigin origin) throws IOException {
        route = keptRoute;
        lastOrigin = origin;
        synchronized (tooLarge) {
            if (tooLarge.contains(resource.key())) {
                return Optional.empty();
            }
        }
        try {
            feed.awaitFreshRun();
            Optional<KeptAnswer> kept = store.get(resource.key());
            if (kept.isPresent()) {
                if (stillHolds(kept.get())) {
                    counters.hits.incrementAndGet();
                    return Optional.of(reply(resource, kept.get(), keptRoute, origin, Reply.HIT));
                }
                invalidate(Map.of(kept.get().scope(), follower.position()), follower.position());
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "cache bypassed: Orthanc did not answer its checks", e);
            return Optional.empty();
        }
        counters.misses.incrementAndGet();
        Fetched fetched = flights.run(resource, () -> fetch(keptRoute, resource, origin),
                answer -> keep(resource, answer)).value();
        if (fetched.keepable() != null) {
            return Optional.of(reply(resource, fetched.keepable(), keptRoute, origin, Reply.MISS));
        }
        OrthancClient.Body body = fetched.body();
        if (!body.complete()) {
            return Optional.empty();
        }
        return Optional.of(new Reply(body.status(), body.contentType(), body.bytes(),
                "gzip".equalsIgnoreCase(body.contentEncoding()), Reply.MISS));
    }

    private boolean stillHolds(KeptAnswer kept) throws IOException {
        if (kept.validity() instanceof KeptAnswer.InstanceCount instances) {
            return archive.instanceCount(instances.level(), instances.orthancId()).equals(OptionalLong.of(instances.count()));
        }
        counting.awaitFreshRun();
        return ((KeptAnswer.ArchiveCounts) kept.validity()).counts().equals(archiveCounts);
    }

    private Fetched fetch(KeptRoute keptRoute, KeptResource resource, PublicOrigin origin) throws IOException {
        // What the answer is checked against later is read first: the answer then can only be newer.
        String stamp = store.stamp(follower.position());
        KeptAnswer.Validity validity = validity(resource);
        OrthancClient.Body body = archive.answer(keptRoute.upstream(resource.path(), resource.query()), origin,
                maxAnswerBytes);
        if (!body.complete()) {
            synchronized (tooLarge) {
                tooLarge.add(resource.key());
            }
        }
        String coding = body.contentEncoding() == null ? "identity" : body.contentEncoding().toLowerCase(Locale.ROOT);
        boolean keepable = validity != null && body.complete() && body.status() == 200
                && body.contentType() != null && body.contentType().toLowerCase(Locale.ROOT).contains("json")
                && (coding.equals("gzip") || coding.equals("identity"));
        if (!keepable) {
            return new Fetched(body, null);
        }
        byte[] gzip = coding.equals("gzip") ? body.bytes() : Gzip.compress(body.bytes());
        return new Fetched(body, new KeptAnswer(gzip, body.contentType(), origin, resource.scope(), validity, stamp));
    }

    /** What tells later whether the answer still holds; null when the resource is not one Orthanc can count. */
    private KeptAnswer.Validity validity(KeptResource resource) throws IOException {
        if (resource.kind() == KeptResource.Kind.STUDY_SEARCH) {
            return new KeptAnswer.ArchiveCounts(archive.counts());
        }
        // The same UIDs under two patients are two resources in Orthanc: such answers are not kept.
        List<String> ids = archive.find(resource.studyUid(), resource.seriesUid());
        if (ids.size() != 1) {
            return null;
        }
        Archive.Level level = resource.kind() == KeptResource.Kind.SERIES_METADATA ? Archive.Level.SERIES : Archive.Level.STUDY;
        OptionalLong count = archive.instanceCount(level, ids.get(0));
        return count.isPresent() ? new KeptAnswer.InstanceCount(level, ids.get(0), count.getAsLong()) : null;
    }

    private void keep(KeptResource resource, Fetched fetched) {
        if (fetched.keepable() != null) {
            store.put(resource.key(), fetched.keepable());
        }
    }

    /** The kept answer as a client at the origin must get it, its URLs rewritten if need be (and that kept too). */
    private Reply reply(KeptResource resource, KeptAnswer kept, KeptRoute keptRoute, PublicOrigin origin, String outcome) {
        KeptAnswer answer = kept;
        if (keptRoute.rewrites(kept.origin(), origin)) {
            String key = resource.key() + FOR_ORIGIN + origin;
            answer = store.get(key).orElseGet(() -> {
                KeptAnswer rewritten = kept.forOrigin(
                        Gzip.rewrite(kept.gzip(), out -> keptRoute.rewriting(kept.origin(), origin, out)), origin);
                store.putDerived(resource.key(), kept, key, rewritten);
                return rewritten;
            });
        }
        return new Reply(200, answer.contentType(), answer.gzip(), true, outcome);
    }

    @Override
    public void readingFrom(long position) {
        store.readingFrom(position);
    }

    @Override
    public boolean tracesStudies() {
        return store.keepsStudies() || flights.busy();
    }

    @Override
    public void changed(Map<String, Long> studyUids, long at) {
        invalidate(studyUids, at);
    }

    /**
     * Removes the study list's answers and those of the studies, and spoils their fetches under way.
     *
     * @param studyUids the studies, each with the feed position of its latest change (or a later one)
     * @param at        the feed position of the latest change (or a later one)
     */
    private void invalidate(Map<String, Long> studyUids, long at) {
        // Spoil first: an answer landing in between would otherwise survive.
        flights.spoil(resource -> resource.kind() == KeptResource.Kind.STUDY_SEARCH
                || studyUids.containsKey(resource.studyUid()));
        int removed = store.removeScope(KeptResource.SEARCHES, at);
        for (Map.Entry<String, Long> study : studyUids.entrySet()) {
            removed += store.removeScope(study.getKey(), study.getValue());
        }
        counters.invalidations.addAndGet(removed);
    }

    @Override
    public void changedAll(String why, long upTo) {
        flights.spoil(resource -> true);
        int removed = store.clear(upTo);
        counters.flushes.incrementAndGet();
        LOG.info(() -> "Metadata cache emptied (" + removed + " answers): " + why);
    }

    @Override
    public void seriesStable(String orthancSeriesId) {
        while (precompute && !stableSeries.offerLast(orthancSeriesId)) {
            stableSeries.pollFirst();
        }
    }

    /**
     * Reads the change feed (if no request did just now) and fetches the metadata of series Orthanc
     * reported stable, one after the other so that Orthanc keeps its other cores for viewers.
     */
    void follow() throws IOException {
        feed.awaitFreshRun();
        KeptRoute keptRoute = route;
        String seriesId;
        while (keptRoute != null && (seriesId = stableSeries.pollFirst()) != null) {
            Optional<List<String>> uids = archive.seriesUids(seriesId);
            if (uids.isEmpty()) {
                continue;
            }
            KeptResource resource = KeptResource.seriesMetadata(uids.get().get(0), uids.get().get(1), null);
            // Gateways sharing the store compute each series once: the one that claims it.
            if (!store.claim(resource.key())) {
                continue;
            }
            try {
                if (store.get(resource.key()).isEmpty()) {
                    PublicOrigin origin = lastOrigin;
                    flights.run(resource, () -> fetch(keptRoute, resource, origin), fetched -> keep(resource, fetched));
                    counters.precomputed.incrementAndGet();
                }
            } finally {
                store.release(resource.key());
            }
        }
    }

    Counters counters() {
        return counters;
    }

    AnswerStore.Usage usage() {
        return store.usage();
    }

    long feedPosition() {
        return follower.position();
    }
}
