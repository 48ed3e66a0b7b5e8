package org.ohifgateway.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/** Failure counts in this server's memory: each gateway counts the logins it sees. */
public class LocalFailureCounters implements FailureCounters {

    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    @Override
    public Count get(String key) {
        return counts.get(key);
    }

    @Override
    public Count update(String key, UnaryOperator<Count> change) {
        return counts.compute(key, (k, count) -> change.apply(count));
    }

    @Override
    public void removeIf(BiPredicate<String, Count> test) {
        counts.entrySet().removeIf(entry -> test.test(entry.getKey(), entry.getValue()));
    }

    @Override
    public long count(BiPredicate<String, Count> test) {
        return counts.entrySet().stream().filter(entry -> test.test(entry.getKey(), entry.getValue())).count();
    }

    @Override
    public boolean mustSweep(int limit) {
        return counts.size() >= limit;
    }
}
