package org.ohifgateway.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bookkeeping of a store held under a limit of bytes: which keys it keeps, in which scope, how
 * large, least recently used first. It holds no answers; the store removes those the ledger lets go.
 * Not thread-safe: the store guards it.
 */
final class Ledger {

    private record Entry(String scope, long size) {
    }

    private final long limitBytes;
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, Set<String>> keysByScope = new HashMap<>();
    private long bytes;
    private long evictions;

    Ledger(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * Notes a key, in place of any entry of it before; returns the least recently used keys that
     * make room for it (the store removes their answers).
     */
    List<String> add(String key, String scope, long size) {
        remove(key);
        entries.put(key, new Entry(scope, size));
        keysByScope.computeIfAbsent(scope, s -> new HashSet<>()).add(key);
        bytes += size;
        List<String> evicted = new ArrayList<>();
        while (bytes > limitBytes) {
            String eldest = entries.keySet().iterator().next();
            remove(eldest);
            evicted.add(eldest);
            evictions++;
        }
        return evicted;
    }

    /** Marks a key as just used. */
    void used(String key) {
        entries.get(key);
    }

    boolean contains(String key) {
        return entries.containsKey(key);
    }

    void remove(String key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.size();
            Set<String> keys = keysByScope.get(old.scope());
            keys.remove(key);
            if (keys.isEmpty()) {
                keysByScope.remove(old.scope());
            }
        }
    }

    /** Forgets every key of one scope; returns them. */
    Set<String> removeScope(String scope) {
        Set<String> keys = keysByScope.remove(scope);
        if (keys == null) {
            return Set.of();
        }
        for (String key : keys) {
            bytes -= entries.remove(key).size();
        }
        return keys;
    }

    /** Forgets every key; returns how many there were. */
    int clear() {
        int removed = entries.size();
        entries.clear();
        keysByScope.clear();
        bytes = 0;
        return removed;
    }

    /** Whether keys of any study (not only searches) are noted. */
    boolean hasStudies() {
        return keysByScope.size() > (keysByScope.containsKey(KeptResource.SEARCHES) ? 1 : 0);
    }

    long limitBytes() {
        return limitBytes;
    }

    AnswerStore.Usage usage() {
        return new AnswerStore.Usage(entries.size(), bytes, limitBytes, evictions);
    }
}
