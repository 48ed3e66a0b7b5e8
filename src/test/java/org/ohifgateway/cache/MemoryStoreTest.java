package org.ohifgateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ohifgateway.http.PublicOrigin;

class MemoryStoreTest {

    private static final PublicOrigin ORIGIN = new PublicOrigin("https", "pacs.example");
    private static final KeptAnswer.Validity VALID = new KeptAnswer.InstanceCount(Archive.Level.SERIES, "id", 1);

    /** An answer that costs exactly {@code size} bytes in the store. */
    private static KeptAnswer answer(String scope, int size) {
        return new KeptAnswer(new byte[size - KeptAnswer.OVERHEAD_BYTES], "application/dicom+json", ORIGIN, scope, VALID, "");
    }

    @Test
    void theLeastRecentlyUsedAnswersGoFirstAndTheLimitHolds() {
        MemoryStore store = new MemoryStore(10_000);
        store.put("a", answer("1", 2_000));
        store.put("b", answer("1", 2_000));
        store.put("c", answer("2", 2_000));
        store.put("d", answer("2", 2_000));
        store.get("a");
        store.put("e", answer("3", 2_500));
        assertTrue(store.get("a").isPresent(), "used last, kept");
        assertFalse(store.get("b").isPresent(), "least recently used, gone");
        assertTrue(store.get("c").isPresent());
        assertEquals(new AnswerStore.Usage(4, 8_500, 10_000, 1), store.usage());
        for (int i = 0; i < 100; i++) {
            store.put("many" + i, answer("4", 1_000 + i));
            assertTrue(store.usage().bytes() <= 10_000, "within the limit after every addition");
        }
        assertTrue(store.get("many99").isPresent(), "the newest answer is kept");
    }

    @Test
    void anAnswerLargerThanAQuarterOfTheLimitIsNotKept() {
        MemoryStore store = new MemoryStore(10_000);
        store.put("small", answer("1", 1_000));
        assertFalse(store.put("large", answer("1", 2_501)));
        assertTrue(store.put("quarter", answer("1", 2_500)));
        assertTrue(store.get("small").isPresent(), "nothing made room for what was not kept");
        assertFalse(store.get("large").isPresent());
    }

    @Test
    void replacingAnAnswerCountsItOnce() {
        MemoryStore store = new MemoryStore(10_000);
        store.put("a", answer("1", 2_000));
        store.put("a", answer("2", 1_000));
        assertEquals(new AnswerStore.Usage(1, 1_000, 10_000, 0), store.usage());
        assertEquals(0, store.removeScope("1", 0), "the replaced answer left its scope");
        assertEquals(1, store.removeScope("2", 0));
    }

    @Test
    void aScopeGoesWhole() {
        MemoryStore store = new MemoryStore(100_000);
        store.put("study 1 series", answer("1.2", 1_000));
        store.put("study 1 series for another origin", answer("1.2", 1_000));
        store.put("study 2", answer("1.3", 1_000));
        store.put("search", answer(KeptResource.SEARCHES, 1_000));
        assertTrue(store.keepsStudies());
        assertEquals(2, store.removeScope("1.2", 0));
        assertEquals(0, store.removeScope("1.2", 0));
        assertEquals(new AnswerStore.Usage(2, 2_000, 100_000, 0), store.usage());
        store.removeScope("1.3", 0);
        assertFalse(store.keepsStudies(), "only searches are left");
        assertEquals(1, store.clear(0));
        assertEquals(new AnswerStore.Usage(0, 0, 100_000, 0), store.usage());
    }

    @Test
    void aDerivedAnswerIsKeptOnlyBesideTheAnswerItCameFrom() {
        MemoryStore store = new MemoryStore(100_000);
        KeptAnswer base = answer("1.2", 1_000);
        store.put("base", base);
        assertTrue(store.putDerived("base", base, "base for another origin", answer("1.2", 1_000)));
        store.removeScope("1.2", 0);
        assertFalse(store.putDerived("base", base, "base for a third origin", answer("1.2", 1_000)),
                "the answer it came from was invalidated meanwhile");
        store.put("base", answer("1.2", 1_000));
        assertFalse(store.putDerived("base", base, "base for a third origin", answer("1.2", 1_000)),
                "nor from an older answer under the same key");
        assertFalse(store.get("base for a third origin").isPresent());
    }
}
