package org.ohifgateway.cache;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kept answers in the heap, least recently used first out, held under a limit of bytes. Bodies
 * are gzip, as clients get them. An answer larger than a quarter of the limit is not kept, so
 * one large study cannot empty the store.
 */
final class MemoryStore implements AnswerStore {

    private final long limitBytes;
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, KeptAnswer> answers = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, Set<String>> keysByScope = new HashMap<>();
    private long bytes;
    private long evictions;

    MemoryStore(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public synchronized Optional<KeptAnswer> get(String key) {
        return Optional.ofNullable(answers.get(key));
    }

    @Override
    public synchronized boolean put(String key, KeptAnswer answer) {
        if (answer.size() > limitBytes / 4) {
            return false;
        }
        remove(key);
        answers.put(key, answer);
        keysByScope.computeIfAbsent(answer.scope(), scope -> new HashSet<>()).add(key);
        bytes += answer.size();
        while (bytes > limitBytes) {
            remove(answers.keySet().iterator().next());
            evictions++;
        }
        return true;
    }

    @Override
    public synchronized boolean putDerived(String fromKey, KeptAnswer from, String key, KeptAnswer answer) {
        return answers.get(fromKey) == from && put(key, answer);
    }

    private void remove(String key) {
        KeptAnswer old = answers.remove(key);
        if (old != null) {
            unindex(key, old);
        }
    }

    private void unindex(String key, KeptAnswer answer) {
        bytes -= answer.size();
        Set<String> keys = keysByScope.get(answer.scope());
        keys.remove(key);
        if (keys.isEmpty()) {
            keysByScope.remove(answer.scope());
        }
    }

    @Override
    public synchronized int removeScope(String scope) {
        Set<String> keys = keysByScope.remove(scope);
        if (keys == null) {
            return 0;
        }
        for (String key : keys) {
            bytes -= answers.remove(key).size();
        }
        return keys.size();
    }

    @Override
    public synchronized int clear() {
        int removed = answers.size();
        answers.clear();
        keysByScope.clear();
        bytes = 0;
        return removed;
    }

    @Override
    public synchronized boolean keepsStudies() {
        return keysByScope.size() > (keysByScope.containsKey(KeptResource.SEARCHES) ? 1 : 0);
    }

    @Override
    public synchronized Usage usage() {
        return new Usage(answers.size(), bytes, limitBytes, evictions);
    }
}
