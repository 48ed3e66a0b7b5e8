package org.ohifgateway.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
