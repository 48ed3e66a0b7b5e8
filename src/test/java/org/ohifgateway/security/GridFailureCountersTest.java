package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.cache.Cache;

import org.junit.jupiter.api.Test;
import org.ohifgateway.config.LoginLimits;
import org.ohifgateway.security.FailureCounters.Count;

class GridFailureCountersTest {

    private static final LoginLimits LIMITS = new LoginLimits(3, 5, 8, Duration.ofMinutes(15),
            Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(2));

    /** What the grid holds: one map that every gateway's cache reads and writes. */
    private final Map<String, String> grid = new ConcurrentHashMap<>();

    @Test
    void aNameRefusedOnOneGatewayIsRefusedOnTheOther() {
        TestClock clock = new TestClock();
        LoginThrottle gatewayA = new LoginThrottle(LIMITS, clock, new GridFailureCounters(gridCache()));
        LoginThrottle gatewayB = new LoginThrottle(LIMITS, clock, new GridFailureCounters(gridCache()));
        for (int i = 0; i < 5; i++) {
            gatewayA.failed("ann", "10.0.0." + i);
        }
        assertEquals(java.util.Optional.of(Duration.ofMinutes(5)), gatewayB.refusedFor("ann", "10.0.0.9"));
        gatewayB.succeeded("ann");
        assertTrue(gatewayA.refusedFor("ann", "10.0.0.9").isPresent(), "a right password does not end the cool-down");
        assertFalse(gatewayB.refusedFor("bob", "10.0.0.9").isPresent(), "other users go on");
        assertEquals(1, gatewayB.lockouts().users());
    }

    @Test
    void failuresCountedAtOnceOnSeveralGatewaysAreAllCounted() throws Exception {
        List<FailureCounters> gateways = List.of(new GridFailureCounters(gridCache()), new GridFailureCounters(gridCache()));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                FailureCounters gateway = gateways.get(i % 2);
                done.add(threads.submit(() -> gateway.update("user:ann", count -> count == null
                        ? new Count(1, start, Instant.MIN) : new Count(count.failures() + 1, start, Instant.MIN))));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(2_000, gateways.get(1).get("user:ann").failures());
    }

    @Test
    void aCountSurvivesItsTextForm() {
        Count count = new Count(4, Instant.parse("2026-01-01T10:00:00.123Z"), Instant.MIN);
        assertEquals(count, GridFailureCounters.decode(GridFailureCounters.encode(count)));
        GridFailureCounters counters = new GridFailureCounters(gridCache());
        counters.update("user:ann", none -> count);
        counters.update("user:bob", none -> count);
        counters.removeIf((key, each) -> key.endsWith("bob"));
        assertEquals(Map.of("user:ann", GridFailureCounters.encode(count)), grid);
        counters.update("user:ann", current -> null);
        assertTrue(grid.isEmpty());
    }

    /** A JCache over the shared map, with the calls the counters make; a thread switch between them is likely. */
    @SuppressWarnings("unchecked")
    private Cache<String, String> gridCache() {
        return (Cache<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> {
                    Thread.yield();
                    return switch (method.getName() + "/" + (args == null ? 0 : args.length)) {
                        case "get/1" -> grid.get(args[0]);
                        case "putIfAbsent/2" -> grid.putIfAbsent((String) args[0], (String) args[1]) == null;
                        case "replace/3" -> grid.replace((String) args[0], (String) args[1], (String) args[2]);
                        case "remove/2" -> grid.remove(args[0], args[1]);
                        case "iterator/0" -> entries();
                        default -> throw new UnsupportedOperationException(method.toString());
                    };
                });
    }

    private Iterator<Cache.Entry<String, String>> entries() {
        return grid.entrySet().stream().map(entry -> (Cache.Entry<String, String>) new Cache.Entry<String, String>() {
            @Override
            public String getKey() {
                return entry.getKey();
            }

            @Override
            public String getValue() {
                return entry.getValue();
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }
        }).toList().iterator();
    }
}
