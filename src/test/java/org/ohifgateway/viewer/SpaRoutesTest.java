package org.ohifgateway.viewer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpaRoutesTest {

    @Test
    void browserNavigationsGetTheApp() {
        assertTrue(SpaRoutes.isNavigation("GET", "text/html,application/xhtml+xml", null));
        assertTrue(SpaRoutes.isNavigation("GET", "*/*", "navigate"));
        assertTrue(SpaRoutes.isNavigation("HEAD", "text/html", null));
    }

    @Test
    void fetchesOfFilesDoNot() {
        assertFalse(SpaRoutes.isNavigation("GET", "*/*", null));
        assertFalse(SpaRoutes.isNavigation("GET", "text/html", "cors"));
        assertFalse(SpaRoutes.isNavigation("GET", "image/avif,image/webp", "no-cors"));
        assertFalse(SpaRoutes.isNavigation("GET", null, null));
        assertFalse(SpaRoutes.isNavigation("POST", "text/html", "navigate"));
    }
}
