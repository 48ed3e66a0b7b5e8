package org.ohifgateway.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.cache.Cache;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ohifgateway.http.PublicOrigin;

/**
 * Two gateways sharing one grid store (the grid's caches in memory), in front of one archive:
 * what one computes the other gives out, and neither ever gives out an answer a change it has
 * read may have altered, whoever fetched it.
 */
class GridStoreTest {

    private static final PublicOrigin ORIGIN = new PublicOrigin("https", "pacs.hospital.example");
    private static final KeptResource SERIES = KeptResource.seriesMetadata("1.2", "1.2.1", null);
    private static final KeptResource OTHER_SERIES = KeptResource.seriesMetadata("1.3", "1.3.1", null);
    private static final long LIMIT = 1 << 20;

    private static final KeptRoute ROUTE = new KeptRoute() {
        @Override
        public String upstream(String path, String query) {
            return "/pacs/" + path;
        }

        @Override
        public boolean rewrites(PublicOrigin asked, PublicOrigin client) {
            return false;
        }

        @Override
        public OutputStream rewriting(PublicOrigin asked, PublicOrigin client, OutputStream out) {
            return out;
        }
    };

    private final Map<String, byte[]> answersInGrid = new ConcurrentHashMap<>();
    private final Map<String, String> marksInGrid = new ConcurrentHashMap<>();
    private final Map<String, String> claimsInGrid = new ConcurrentHashMap<>();
    private final GridStore storeA = store("a");
    private final GridStore storeB = store("b");
    private final FakeArchive archive = new FakeArchive();
    private final KeptAnswers gatewayA = new KeptAnswers(archive, storeA, 1 << 18, true, ORIGIN);
    private final KeptAnswers gatewayB = new KeptAnswers(archive, storeB, 1 << 18, true, ORIGIN);
    private final Requests requests = new Requests();

    private GridStore store(String node) {
        return new GridStore(cache(answersInGrid), cache(marksInGrid), cache(claimsInGrid), node, LIMIT);
    }

    /** The part of JCache the store uses, on a map (each call atomic, as the grid's are). */
    @SuppressWarnings("unchecked")
    private static <V> Cache<String, V> cache(Map<String, V> map) {
        return (Cache<String, V>) Proxy.newProxyInstance(GridStoreTest.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> switch (method.getName() + (args == null ? 0 : args.length)) {
                    case "get1" -> map.get(args[0]);
                    case "put2" -> {
                        map.put((String) args[0], (V) args[1]);
                        yield null;
                    }
                    case "putIfAbsent2" -> map.putIfAbsent((String) args[0], (V) args[1]) == null;
                    case "remove1" -> map.remove(args[0]) != null;
                    case "remove2" -> map.remove(args[0], args[1]);
                    case "removeAll0" -> {
                        map.clear();
                        yield null;
                    }
                    case "removeAll1" -> {
                        map.keySet().removeAll((Set<?>) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.toString());
                });
    }

    @BeforeEach
    void twoSeriesAndTwoGatewaysReadingTheFeed() throws IOException {
        archive.series("1.2", "1.2.1", "s12", 10);
        archive.series("1.3", "1.3.1", "s13", 5);
        archive.studies.put("i12", List.of("1.2"));
        archive.log("NewInstance", "Instance", "i12");
        gatewayA.follow();
        gatewayB.follow();
    }

    private static Reply answer(KeptAnswers gateway, KeptResource resource) throws IOException {
        return gateway.answer(ROUTE, resource, ORIGIN).orElseThrow();
    }

    private static String body(Reply reply) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Gzip.inflate(reply.body(), plain);
        return plain.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAnswerOneGatewayFetchedIsAHitOnTheOther() throws Exception {
        Reply first = answer(gatewayA, SERIES);
        assertEquals(Reply.MISS, first.outcome());
        Reply second = answer(gatewayB, SERIES);
        assertEquals(Reply.HIT, second.outcome(), "from the grid");
        assertEquals(body(first), body(second));
        assertEquals(1, archive.count("answer"), "Orthanc computed it once for both");
        assertEquals(1, storeA.usage().entries(), "counted by the gateway that put it");
        assertEquals(0, storeB.usage().entries());
    }

    @Test
    void aChangeIsNeverServedStaleByEitherGateway() throws Exception {
        String before = body(answer(gatewayA, SERIES));
        archive.log("NewInstance", "Instance", "i12");
        Reply onB = answer(gatewayB, SERIES);
        assertEquals(Reply.MISS, onB.outcome(), "B read the change itself before answering");
        assertNotEquals(before, body(onB));
        Reply onA = answer(gatewayA, SERIES);
        assertEquals(body(onB), body(onA), "A read it too, and finds B's newer answer");
        assertEquals(Reply.HIT, onA.outcome());
    }

    @Test
    void anAnswerFetchedAcrossAChangeAnotherGatewayReadIsRefused() throws Exception {
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Orthanc computes the answer, then it travels while the archive changes.
        archive.holdNextAnswer(computing, release);
        Future<Reply> onA = requests.start(() -> answer(gatewayA, SERIES));
        assertTrue(computing.await(5, TimeUnit.SECONDS));
        archive.log("NewInstance", "Instance", "i12");
        // B reads the change while A's answer is under way; A has not read it, so A keeps its answer.
        answer(gatewayB, OTHER_SERIES);
        release.countDown();
        String early = body(onA.get(5, TimeUnit.SECONDS));
        assertTrue(answersInGrid.containsKey(SERIES.key()), "A's answer is in the grid");
        Reply onB = answer(gatewayB, SERIES);
        assertEquals(Reply.MISS, onB.outcome(), "fetched before a change B has read: B does not give it out");
        assertNotEquals(early, body(onB));
    }

    @Test
    void aGatewayThatStartsLaterRefusesAnswersFromBeforeItsFirstReading() throws Exception {
        answer(gatewayA, SERIES);
        archive.log("UpdatedAttachment", "Instance", "i12");
        KeptAnswers gatewayC = new KeptAnswers(archive, store("c"), 1 << 18, true, ORIGIN);
        gatewayC.follow();
        assertEquals(Reply.MISS, answer(gatewayC, SERIES).outcome(), "a change before it started may have altered it");
        assertEquals(Reply.HIT, answer(gatewayC, SERIES).outcome());
    }

    @Test
    void oneGatewayEmptyingTheGridEmptiesItForAll() throws Exception {
        answer(gatewayA, SERIES);
        KeptAnswer kept = storeA.get(SERIES.key()).orElseThrow();
        storeB.clear(archive.log("NewInstance", "Instance", "i12"));
        assertTrue(storeA.get(SERIES.key()).isEmpty());
        // An answer A was fetching while B emptied the grid comes in after: its epoch is gone.
        storeA.put(SERIES.key(), kept);
        assertTrue(storeA.get(SERIES.key()).isEmpty());
        assertTrue(storeB.get(SERIES.key()).isEmpty());
    }

    @Test
    void aStableSeriesIsComputedByOneGatewayOnly() throws Exception {
        gatewayA.serveFor(ROUTE);
        gatewayB.serveFor(ROUTE);
        gatewayA.follow();
        gatewayB.follow();
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        archive.holdNextAnswer(computing, release);
        archive.log("StableSeries", "Series", "s12");
        Future<Void> onA = requests.start(() -> {
            gatewayA.follow();
            return null;
        });
        assertTrue(computing.await(5, TimeUnit.SECONDS));
        gatewayB.follow();
        release.countDown();
        onA.get(5, TimeUnit.SECONDS);
        gatewayB.follow();
        assertEquals(1, archive.count("answer"), "B left it to A, which claimed it");
        assertEquals(1, gatewayA.counters().precomputed.get() + gatewayB.counters().precomputed.get());
        assertTrue(claimsInGrid.isEmpty(), "the claim ended");
        assertEquals(Reply.HIT, answer(gatewayB, SERIES).outcome());
    }

    @Test
    void eachGatewayHoldsWhatItPutUnderHalfTheLimit() {
        KeptAnswer.Validity valid = new KeptAnswer.InstanceCount(Archive.Level.SERIES, "s", 1);
        String stamp = storeA.stamp(1);
        for (int i = 0; i < 40; i++) {
            storeA.put("k" + i, new KeptAnswer(new byte[(int) LIMIT / 16], "application/dicom+json", ORIGIN, "1." + i, valid,
                    stamp));
            assertTrue(storeA.usage().bytes() <= LIMIT / 2);
        }
        assertTrue(storeA.usage().evictions() > 0);
        assertEquals(storeA.usage().entries(), answersInGrid.size(), "the evicted left the grid");
        assertTrue(storeA.get("k39").isPresent());
        assertFalse(storeA.get("k0").isPresent());
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutTheGridRequestsAreAnsweredByOrthanc() throws Exception {
        Cache<String, byte[]> unreachable = (Cache<String, byte[]>) Proxy.newProxyInstance(
                GridStoreTest.class.getClassLoader(), new Class<?>[] {Cache.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no member answers");
                });
        GridStore cut = new GridStore(unreachable, cache(marksInGrid), cache(claimsInGrid), "c", LIMIT);
        KeptAnswers gatewayC = new KeptAnswers(archive, cut, 1 << 18, true, ORIGIN);
        assertEquals(Reply.MISS, answer(gatewayC, SERIES).outcome());
        assertEquals(Reply.MISS, answer(gatewayC, SERIES).outcome(), "nothing kept, no failure either");
        assertEquals(2, archive.count("answer"));
    }

    @Test
    void answersTravelAsBytesAndComeBackWhole() {
        KeptAnswer series = new KeptAnswer(new byte[] {1, 2, 3}, "application/dicom+json", ORIGIN, "1.2",
                new KeptAnswer.InstanceCount(Archive.Level.STUDY, "st", 7), "e 12");
        KeptAnswer search = new KeptAnswer(new byte[0], "application/json", new PublicOrigin("http", "127.0.0.1:8080"),
                KeptResource.SEARCHES, new KeptAnswer.ArchiveCounts(new Archive.Counts(1, 2, 3, 4)), "e 13");
        for (KeptAnswer answer : List.of(series, search)) {
            KeptAnswer back = GridStore.decode(GridStore.encode(answer));
            assertArrayEquals(answer.gzip(), back.gzip());
            assertEquals(answer.forOrigin(back.gzip(), answer.origin()), back, "all but the body, compared above");
        }
        assertEquals(null, GridStore.decode(new byte[] {9, 0}), "another version's value is no answer");
    }
}
