package org.ohifgateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;

class KeptAnswersTest {

    private static final PublicOrigin DIRECT = new PublicOrigin("http", "127.0.0.1:8080");
    private static final PublicOrigin PROXIED = new PublicOrigin("https", "pacs.hospital.example");
    private static final KeptResource SERIES = KeptResource.seriesMetadata("1.2", "1.2.1", null);
    private static final KeptResource OTHER_SERIES = KeptResource.seriesMetadata("1.3", "1.3.1", null);
    private static final KeptResource STUDY_LIST = KeptResource.studySearch("limit=101&includefield=00081030");

    private final FakeArchive archive = new FakeArchive();
    private final MemoryStore store = new MemoryStore(1 << 20);
    private final KeptAnswers cache = new KeptAnswers(archive, store, 1 << 18, true, DIRECT);
    private final Requests requests = new Requests();

    /** The DICOMweb route as the cache sees it: Orthanc's root is the public one; origins differ. */
    private static final KeptRoute ROUTE = new KeptRoute() {
        @Override
        public String upstream(String path, String query) {
            return "/pacs/" + path + (query == null ? "" : "?" + query);
        }

        @Override
        public boolean rewrites(PublicOrigin asked, PublicOrigin client) {
            return !asked.equals(client);
        }

        @Override
        public OutputStream rewriting(PublicOrigin asked, PublicOrigin client, OutputStream out) {
            return new ByteArrayOutputStream() {
                @Override
                public void close() throws IOException {
                    out.write(toString(StandardCharsets.UTF_8).replace(asked + "/pacs/", client + "/pacs/")
                            .getBytes(StandardCharsets.UTF_8));
                }
            };
        }
    };

    @BeforeEach
    void twoStudies() throws IOException {
        archive.series("1.2", "1.2.1", "s12", 10);
        archive.series("1.3", "1.3.1", "s13", 5);
        archive.studies.put("i12", List.of("1.2"));
        archive.studies.put("i13", List.of("1.3"));
        archive.log("NewInstance", "Instance", "i12");
    }

    private Reply answer(KeptResource resource, PublicOrigin origin) throws IOException {
        return cache.answer(ROUTE, resource, origin).orElseThrow();
    }

    private static String body(Reply reply) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        if (reply.gzip()) {
            Gzip.inflate(reply.body(), plain);
        } else {
            plain.write(reply.body());
        }
        return plain.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSecondRequestIsAnsweredFromMemoryAfterTheChecks() throws Exception {
        Reply first = answer(SERIES, DIRECT);
        assertEquals(Reply.MISS, first.outcome());
        assertEquals(200, first.status());
        assertTrue(first.gzip(), "kept and sent as gzip");
        Reply second = answer(SERIES, DIRECT);
        assertEquals(Reply.HIT, second.outcome());
        assertEquals(body(first), body(second));
        assertEquals(1, archive.count("answer"), "Orthanc computed it once");
        assertEquals(2, archive.count("count s12"), "counted when fetched, and before it was given out again");
        assertEquals(1, cache.counters().hits.get());
        assertEquals(1, cache.counters().misses.get());
    }

    @Test
    void aChangeOrthancReportedBeforeTheRequestIsNeverServedStale() throws Exception {
        String before = body(answer(SERIES, DIRECT));
        archive.log("NewInstance", "Instance", "i12");
        Reply after = answer(SERIES, DIRECT);
        assertEquals(Reply.MISS, after.outcome(), "no background reading was needed first");
        assertFalse(before.equals(body(after)), "Orthanc's newer answer");
        assertEquals(1, cache.counters().invalidations.get());
    }

    @Test
    void fewerInstancesThanWhenItWasKeptMeanDeletedOnes() throws Exception {
        answer(SERIES, DIRECT);
        archive.instances.put("s12", 9L);
        assertEquals(Reply.MISS, answer(SERIES, DIRECT).outcome(), "Orthanc logs no deletion; the count shows it");
        archive.instances.remove("s12");
        archive.ids.remove("1.2|1.2.1");
        archive.answering = (path, origin) -> new OrthancClient.Body(404, "application/json", null,
                "{\"HttpStatus\":404}".getBytes(StandardCharsets.UTF_8), true);
        Reply gone = answer(SERIES, DIRECT);
        assertEquals(404, gone.status(), "the whole series deleted: Orthanc's own answer");
        assertEquals(404, answer(SERIES, DIRECT).status());
        assertEquals(4, archive.count("answer"), "an error is not kept");
    }

    @Test
    void changesElsewhereLeaveTheAnswer() throws Exception {
        answer(SERIES, DIRECT);
        archive.log("NewInstance", "Instance", "i13");
        archive.log("StableSeries", "Series", "s12");
        assertEquals(Reply.HIT, answer(SERIES, DIRECT).outcome());
    }

    @Test
    void requestsAskingTogetherCostOrthancOneAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeArchive.Answering plain = archive.answering;
        archive.answering = (path, origin) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return plain.answer(path, origin);
        };
        List<Future<Reply>> together = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            together.add(requests.start(() -> answer(SERIES, DIRECT)));
        }
        while (archive.count("answer") == 0) {
            Thread.sleep(2);
        }
        requests.awaitParked(0);
        release.countDown();
        for (Future<Reply> reply : together) {
            assertEquals(200, reply.get(5, TimeUnit.SECONDS).status());
        }
        assertEquals(1, archive.count("answer"));
        assertEquals(Reply.HIT, answer(SERIES, DIRECT).outcome());
    }

    @Test
    void anAnswerComputedAcrossAChangeIsGivenButNotKept() throws Exception {
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        archive.holdNextAnswer(computing, release);
        Future<Reply> underWay = requests.start(() -> answer(SERIES, DIRECT));
        computing.await(5, TimeUnit.SECONDS);
        archive.log("NewInstance", "Instance", "i12");
        // Another request reads the feed, which spoils the answer under way.
        answer(OTHER_SERIES, DIRECT);
        release.countDown();
        assertEquals(200, underWay.get(5, TimeUnit.SECONDS).status());
        assertEquals(Reply.MISS, answer(SERIES, DIRECT).outcome(), "fetched again: the first may predate the change");
    }

    @Test
    void eachClientGetsTheUrlsOfTheOriginItUsed() throws Exception {
        String direct = body(answer(SERIES, DIRECT));
        assertTrue(direct.contains("\"http://127.0.0.1:8080/pacs/studies/1.2/"), direct);
        Reply proxied = answer(SERIES, PROXIED);
        assertEquals(Reply.HIT, proxied.outcome(), "rewritten from the kept answer, Orthanc not asked");
        assertTrue(body(proxied).contains("\"https://pacs.hospital.example/pacs/studies/1.2/"), body(proxied));
        assertFalse(body(proxied).contains("127.0.0.1"));
        assertEquals(2, store.usage().entries(), "the rewritten answer is kept too");
        assertEquals(direct, body(answer(SERIES, DIRECT)), "and the first is unchanged");
        assertEquals(body(proxied), body(answer(SERIES, PROXIED)));
        assertEquals(1, archive.count("answer"));
        archive.log("NewInstance", "Instance", "i12");
        assertEquals(Reply.MISS, answer(SERIES, PROXIED).outcome());
        assertTrue(body(answer(SERIES, DIRECT)).contains("http://127.0.0.1:8080/pacs/"), "both went with the change");
    }

    @Test
    void theStudyListIsKeptUntilAnyChange() throws Exception {
        answer(STUDY_LIST, DIRECT);
        archive.log("StableStudy", "Study", "st12");
        assertEquals(Reply.HIT, answer(STUDY_LIST, DIRECT).outcome(), "a notice is no change");
        assertEquals(Reply.MISS, answer(KeptResource.studySearch("limit=25"), DIRECT).outcome(), "another query");
        archive.log("NewPatient", "Patient", "p9");
        assertEquals(Reply.MISS, answer(STUDY_LIST, DIRECT).outcome());
        archive.counts = new Archive.Counts(1, 1, 1, 0);
        assertEquals(Reply.MISS, answer(STUDY_LIST, DIRECT).outcome(), "a deletion shows in the counts");
        assertEquals(Reply.HIT, answer(STUDY_LIST, DIRECT).outcome());
    }

    @Test
    void aGapInTheFeedEmptiesEverything() throws Exception {
        answer(SERIES, DIRECT);
        answer(STUDY_LIST, DIRECT);
        archive.newDatabase();
        assertEquals(Reply.MISS, answer(OTHER_SERIES, DIRECT).outcome());
        assertEquals(1, cache.counters().flushes.get());
        assertEquals(1, store.usage().entries(), "only the answer fetched after emptying");
    }

    @Test
    void withoutTheFeedRequestsGoToOrthancAsUsual() throws Exception {
        answer(SERIES, DIRECT);
        archive.feedFailure = new IOException("connection refused");
        assertTrue(cache.answer(ROUTE, SERIES, DIRECT).isEmpty(), "not a kept answer that may be stale");
        archive.feedFailure = null;
        assertEquals(Reply.HIT, answer(SERIES, DIRECT).outcome());
    }

    @Test
    void answersTooLongToKeepGoThroughTheProxyAndAreNotFetchedAgain() throws Exception {
        archive.answering = (path, origin) -> new OrthancClient.Body(200, "application/dicom+json", null, new byte[10], false);
        assertTrue(cache.answer(ROUTE, SERIES, DIRECT).isEmpty());
        assertTrue(cache.answer(ROUTE, SERIES, DIRECT).isEmpty());
        assertEquals(1, archive.count("answer"), "the proxy asks Orthanc from then on, the cache does not");
    }

    @Test
    void uidsOrthancHoldsTwiceAreNotKept() throws Exception {
        archive.ids.put("1.2|1.2.1", List.of("s12", "s12-other-patient"));
        answer(SERIES, DIRECT);
        assertEquals(Reply.MISS, answer(SERIES, DIRECT).outcome());
        assertEquals(0, store.usage().entries());
    }

    @Test
    void stableSeriesAreComputedBeforeAnyoneAsks() throws Exception {
        cache.serveFor(ROUTE);
        cache.follow();
        archive.log("StableSeries", "Series", "s12");
        cache.follow();
        assertEquals(1, archive.count("answer"));
        Reply first = answer(SERIES, DIRECT);
        assertEquals(Reply.HIT, first.outcome(), "the first viewer after the upload");
        assertEquals(1, cache.counters().precomputed.get());
        archive.log("StableSeries", "Series", "s12");
        cache.follow();
        assertEquals(1, archive.count("answer"), "kept already: not computed again");
    }

    @Test
    void aBulkImportComputesOnlyTheLatestStableSeries() throws Exception {
        cache.serveFor(ROUTE);
        cache.follow();
        int series = KeptAnswers.STABLE_SERIES_QUEUED + 20;
        for (int i = 0; i < series; i++) {
            archive.series("2." + i, "2." + i + ".1", "bulk" + i, 1);
            archive.log("StableSeries", "Series", "bulk" + i);
        }
        cache.follow();
        assertEquals(KeptAnswers.STABLE_SERIES_QUEUED, archive.count("answer"));
        assertEquals(Reply.HIT, answer(KeptResource.seriesMetadata("2." + (series - 1), "2." + (series - 1) + ".1", null),
                DIRECT).outcome(), "the latest");
        assertEquals(Reply.MISS, answer(KeptResource.seriesMetadata("2.0", "2.0.1", null), DIRECT).outcome(),
                "the earliest let go");
    }
}
