package org.ohifgateway.cache;

import java.util.concurrent.atomic.AtomicLong;

/** What the cache counts as it works (the store counts its own evictions). */
final class Counters {

    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong invalidations = new AtomicLong();
    final AtomicLong flushes = new AtomicLong();
    final AtomicLong precomputed = new AtomicLong();
}
