package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ForwardedClientTest {

    private static final Set<String> PROXIES = Set.of("10.0.0.5", "10.0.0.6");

    @Test
    void onlyANamedProxyIsBelieved() {
        assertTrue(ForwardedClient.of("192.0.2.9", PROXIES, List.of("203.0.113.7"), "https", "pacs.example").isEmpty());
        assertEquals(Optional.of(new ForwardedClient("203.0.113.7", "https", "pacs.example", 443)),
                ForwardedClient.of("10.0.0.5", PROXIES, List.of("203.0.113.7"), "https", "pacs.example"));
    }

    @Test
    void theClientIsTheRightMostAddressThatIsNotAProxy() {
        // The left entries are whatever the client itself claimed; only what the proxies appended counts.
        ForwardedClient client = ForwardedClient.of("10.0.0.5", PROXIES,
                List.of("198.51.100.1, 203.0.113.7", "10.0.0.6"), "https", "pacs.example:8443").orElseThrow();
        assertEquals("203.0.113.7", client.address());
        assertEquals(8443, client.port());
        assertEquals("10.0.0.5", ForwardedClient.of("10.0.0.5", PROXIES, List.of(), "http", "pacs.example")
                .orElseThrow().address(), "no X-Forwarded-For: the proxy itself");
        assertEquals("10.0.0.6", ForwardedClient.of("10.0.0.5", PROXIES, List.of("evil, 10.0.0.6"), "http", "pacs.example")
                .orElseThrow().address(), "a non-address stops the walk");
    }

    @Test
    void aProxyThatDoesNotSayHowItWasReachedIsNotBelieved() {
        assertTrue(ForwardedClient.of("10.0.0.5", PROXIES, List.of("203.0.113.7"), null, "pacs.example").isEmpty());
        assertTrue(ForwardedClient.of("10.0.0.5", PROXIES, List.of("203.0.113.7"), "gopher", "pacs.example").isEmpty());
        assertTrue(ForwardedClient.of("10.0.0.5", PROXIES, List.of("203.0.113.7"), "https", null).isEmpty());
        assertTrue(ForwardedClient.of("10.0.0.5", PROXIES, List.of("203.0.113.7"), "https", "evil\"/x").isEmpty());
    }
}
