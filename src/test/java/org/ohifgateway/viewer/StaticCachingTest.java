package org.ohifgateway.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaticCachingTest {

    @Test
    void filesNamedByTheirContentAreKeptForAYear() {
        for (String path : new String[] {"/app.bundle.0f6159c501addfe9.js", "/1180.bundle.762993518ea30ae3.js",
                "/0ddf166f7a343eda.wasm", "/a34f9d1faa5f3315.woff2", "/app.bundle.0f6159c501addfe9.js.gz"}) {
            assertEquals(StaticCaching.IMMUTABLE, StaticCaching.cacheControl(path), path);
        }
    }

    @Test
    void everythingElseIsRevalidated() {
        for (String path : new String[] {"/index.html", "/app-config.js", "/sw.js", "/init-service-worker.js",
                "/app.bundle.css", "/1602.css", "/assets/favicon.ico", "/ort/ort.all.js", "/deadbeef.js"}) {
            assertEquals(StaticCaching.REVALIDATE, StaticCaching.cacheControl(path), path);
        }
    }

    @Test
    void gzipIsSentOnlyToClientsThatAcceptIt() {
        assertTrue(StaticCaching.acceptsGzip("gzip, deflate, br, zstd"));
        assertTrue(StaticCaching.acceptsGzip("br;q=1.0, gzip;q=0.8"));
        assertTrue(StaticCaching.acceptsGzip("*"));
        assertFalse(StaticCaching.acceptsGzip(null));
        assertFalse(StaticCaching.acceptsGzip("identity"));
        assertFalse(StaticCaching.acceptsGzip("br"));
        assertFalse(StaticCaching.acceptsGzip("gzip;q=0"));
        assertFalse(StaticCaching.acceptsGzip("gzip; q=0.000, *"));
        assertFalse(StaticCaching.acceptsGzip("*;q=0"));
    }
}
