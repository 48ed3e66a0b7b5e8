package org.ohifgateway.cache;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Kept answers in the heap, least recently used first out, held under a limit of bytes. Bodies
 * are gzip, as clients get them. An answer larger than a quarter of the limit is not kept, so
 * one large study cannot empty the store. One gateway alone: no stamps, no claims (its own
 * requests share fetches in {@link SingleFlight}).
 */
final class MemoryStore implements AnswerStore {

    private final Ledger ledger;
    private final Map<String, KeptAnswer> answers = new HashMap<>();

    MemoryStore(long limitBytes) {
        this.ledger = new Ledger(limitBytes);
    }

    @Override
    public synchronized Optional<KeptAnswer> get(String key) {
        KeptAnswer answer = answers.get(key);
        if (answer != null) {
            ledger.used(key);
        }
        return Optional.ofNullable(answer);
    }

    @Override
    public String stamp(long feedPosition) {
        return "";
    }

    @Override
    public synchronized boolean put(String key, KeptAnswer answer) {
        if (answer.size() > ledger.limitBytes() / 4) {
            return false;
        }
        answers.put(key, answer);
        ledger.add(key, answer.scope(), answer.size()).forEach(answers::remove);
        return true;
    }

    @Override
    public synchronized boolean putDerived(String fromKey, KeptAnswer from, String key, KeptAnswer answer) {
        return answers.get(fromKey) == from && put(key, answer);
    }

    @Override
    public synchronized int removeScope(String scope, long feedPosition) {
        var keys = ledger.removeScope(scope);
        keys.forEach(answers::remove);
        return keys.size();
    }

    @Override
    public synchronized int clear(long feedPosition) {
        answers.clear();
        return ledger.clear();
    }

    @Override
    public void readingFrom(long feedPosition) {
        // empty until then: nothing kept from before
    }

    @Override
    public synchronized boolean keepsStudies() {
        return ledger.hasStudies();
    }

    @Override
    public boolean claim(String key) {
        return true;
    }

    @Override
    public void release(String key) {
        // nothing to end: no other gateway shares this store
    }

    @Override
    public synchronized Usage usage() {
        return ledger.usage();
    }
}
