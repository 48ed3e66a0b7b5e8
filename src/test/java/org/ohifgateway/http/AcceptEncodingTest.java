package org.ohifgateway.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void gzipIsSentOnlyToClientsThatAcceptIt() {
        assertTrue(AcceptEncoding.gzip("gzip, deflate, br, zstd"));
        assertTrue(AcceptEncoding.gzip("br;q=1.0, gzip;q=0.8"));
        assertTrue(AcceptEncoding.gzip("*"));
        assertFalse(AcceptEncoding.gzip(null));
        assertFalse(AcceptEncoding.gzip("identity"));
        assertFalse(AcceptEncoding.gzip("br"));
        assertFalse(AcceptEncoding.gzip("gzip;q=0"));
        assertFalse(AcceptEncoding.gzip("gzip; q=0.000, *"));
        assertFalse(AcceptEncoding.gzip("*;q=0"));
    }
}
