package org.ohifgateway.cache;

/**
 * The cache's counters, for the health check and for metrics: how often kept answers served,
 * how often Orthanc had to be asked, and what changes and the size limit removed.
 */
public interface CacheStatistics {

    /** Whether answers are kept at all. */
    boolean enabled();

    /** Requests answered from a kept answer. */
    long hits();

    /** Requests for which the cache asked Orthanc (or waited for another request's asking). */
    long misses();

    /** Kept answers removed because Orthanc reported a change or showed fewer instances. */
    long invalidations();

    /** Times the whole cache was emptied (a gap in the change feed, another database). */
    long flushes();

    /** Kept answers removed to stay under the size limit. */
    long evictions();

    /** Series metadata computed when Orthanc reported the series stable. */
    long precomputed();

    long entries();

    long bytes();

    long limitBytes();

    /** The change feed's sequence number the cache has applied; -1 before it first read it. */
    long feedPosition();
}
