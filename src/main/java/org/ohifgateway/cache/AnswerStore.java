package org.ohifgateway.cache;

import java.util.Optional;

/**
 * Where kept answers live. This one is in the gateway's heap ({@link MemoryStore}); gateways
 * that share a data grid can put a shared one (JCache) in its place.
 */
interface AnswerStore {

    Optional<KeptAnswer> get(String key);

    /**
     * Keeps an answer under a key, in place of any before it; the least recently used answers
     * make room when the limit is passed.
     *
     * @return false when the answer alone is too large to keep
     */
    boolean put(String key, KeptAnswer answer);

    /**
     * Keeps an answer derived from another (the same answer for another origin), provided that
     * other is still kept as it was: one an invalidation removed meanwhile must not come back.
     */
    boolean putDerived(String fromKey, KeptAnswer from, String key, KeptAnswer answer);

    /** Removes every answer of one scope (see {@link KeptResource#scope}); returns how many. */
    int removeScope(String scope);

    /** Removes every answer; returns how many. */
    int clear();

    /** Whether answers of any study (not only searches) are kept, so changes must be traced to their study. */
    boolean keepsStudies();

    /** How full it is. */
    Usage usage();

    /** @param evictions answers removed to make room, since the start */
    record Usage(long entries, long bytes, long limitBytes, long evictions) {
    }
}
