package org.ohifgateway.cache;

import java.util.Optional;

/**
 * Where kept answers live: the gateway's heap ({@link MemoryStore}, the default), or the data grid
 * the gateways share ({@link GridStore}).
 */
interface AnswerStore {

    /** The kept answer, if it is there and no change this gateway has read since it was asked for may have altered it. */
    Optional<KeptAnswer> get(String key);

    /**
     * The mark to keep with an answer about to be asked of Orthanc, taken before asking, once this
     * gateway has read the change feed up to {@code feedPosition}. A shared store tells by it an
     * answer that a change may have altered while another gateway fetched it.
     */
    String stamp(long feedPosition);

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

    /**
     * Removes every answer of one scope (see {@link KeptResource#scope}) that a change at
     * {@code feedPosition} may have altered (one fetched before it); returns how many this gateway removed.
     */
    int removeScope(String scope, long feedPosition);

    /**
     * Removes every answer, the changes up to {@code feedPosition} untold; returns how many this
     * gateway removed.
     */
    int clear(long feedPosition);

    /**
     * This gateway reads the change feed from this position on: what changed before it, it was
     * never told (a shared store may hold answers from before).
     */
    void readingFrom(long feedPosition);

    /** Whether answers of any study (not only searches) may be kept, so changes must be traced to their study. */
    boolean keepsStudies();

    /**
     * Whether this gateway is to compute an answer ahead of requests: false while another gateway
     * sharing the store computes it. A true must be followed by {@link #release}.
     */
    boolean claim(String key);

    /** Ends a {@link #claim}. */
    void release(String key);

    /** How full it is. */
    Usage usage();

    /** @param evictions answers removed to make room, since the start */
    record Usage(long entries, long bytes, long limitBytes, long evictions) {
    }
}
