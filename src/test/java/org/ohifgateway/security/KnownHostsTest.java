package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ohifgateway.http.PublicOrigin;

class KnownHostsTest {

    private final KnownHosts configured = new KnownHosts(Set.of(PublicOrigin.parse("https://PACS.hospital.example"),
            PublicOrigin.parse("http://10.1.2.3:8080")));
    private final KnownHosts unset = new KnownHosts(Set.of());

    @Test
    void theListedOriginsAreAnsweredInAnyCase() {
        assertEquals(Optional.empty(), configured.refusal("https", "pacs.hospital.example", 443, 1));
        assertEquals(Optional.empty(), configured.refusal("https", "Pacs.Hospital.Example", 443, 1));
        assertEquals(Optional.empty(), configured.refusal("http", "10.1.2.3", 8080, 1));
    }

    @Test
    void anotherHostPortOrSchemeIsRefused() {
        assertTrue(configured.refusal("https", "evil.example", 443, 1).isPresent());
        assertTrue(configured.refusal("https", "pacs.hospital.example", 8443, 1).isPresent());
        assertTrue(configured.refusal("http", "pacs.hospital.example", 80, 1).isPresent());
        assertTrue(configured.refusal("http", "localhost", 8080, 1).isPresent(), "loopback only when nothing is listed");
        assertTrue(configured.refusal("https", "pacs.hospital.example\";proto=x", 443, 1).isPresent());
        assertTrue(configured.refusal("https", null, 443, 1).isPresent());
    }

    @Test
    void twoHostHeadersAreRefused() {
        assertTrue(configured.refusal("https", "pacs.hospital.example", 443, 2).isPresent());
        assertTrue(unset.refusal("http", "127.0.0.1", 8080, 2).isPresent());
    }

    @Test
    void withoutASettingOnlyLoopbackNamesAreAnswered() {
        for (String host : new String[] {"localhost", "127.0.0.1", "[::1]", "LOCALHOST"}) {
            assertEquals(Optional.empty(), unset.refusal("http", host, 8080, 1), host);
        }
        assertTrue(unset.refusal("http", "evil.example", 8080, 1).isPresent());
        assertTrue(unset.refusal("http", "10.1.2.3", 8080, 1).isPresent());
    }
}
