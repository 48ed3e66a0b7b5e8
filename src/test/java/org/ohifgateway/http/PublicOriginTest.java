package org.ohifgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PublicOriginTest {

    @Test
    void defaultPortsAreLeftOut() {
        assertEquals(new PublicOrigin("http", "pacs.hospital.example"), PublicOrigin.of("http", "pacs.hospital.example", 80));
        assertEquals(new PublicOrigin("https", "pacs.hospital.example"), PublicOrigin.of("https", "pacs.hospital.example", 443));
        assertEquals(new PublicOrigin("https", "10.1.2.3:8443"), PublicOrigin.of("HTTPS", "10.1.2.3", 8443));
        assertEquals(new PublicOrigin("http", "[::1]:8080"), PublicOrigin.of("http", "[::1]", 8080));
    }

    @Test
    void oddHostsAreNeverEchoedIntoOrthancsUrls() {
        assertEquals(new PublicOrigin("http", "localhost:8080"), PublicOrigin.of("http", "evil\";proto=x", 8080));
        assertEquals(new PublicOrigin("http", "localhost:8080"), PublicOrigin.of("http", "a b", 8080));
        assertEquals(new PublicOrigin("http", "localhost:8080"), PublicOrigin.of("gopher", null, 8080));
    }

    @Test
    void originsInSettingsAreParsedStrictly() {
        assertEquals(new PublicOrigin("https", "pacs.hospital.example"), PublicOrigin.parse("https://PACS.hospital.example/"));
        assertEquals(new PublicOrigin("http", "10.1.2.3:8080"), PublicOrigin.parse("http://10.1.2.3:8080"));
        assertEquals(new PublicOrigin("https", "[::1]:8443"), PublicOrigin.parse("https://[::1]:8443"));
        assertEquals("https://pacs.hospital.example:8443", PublicOrigin.parse("https://pacs.hospital.example:8443").toString());
        for (String bad : new String[] {"pacs.hospital.example", "ftp://pacs", "https://pacs/ohif", "https://u@pacs",
                "https://pacs?x=1", "https://", "https://pa cs"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PublicOrigin.parse(bad), bad);
        }
    }
}
