package org.ohifgateway.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SubPathTest {

    private static final String BUILT = "<script>window.PUBLIC_URL=\"/\"</script><link rel=\"manifest\" href=\"/manifest.json\">"
            + "<script src=\"/app-config.js\"></script><a href=\"https://ohif.org/\">";

    @Test
    void atTheRootThePageIsServedAsBuilt() {
        assertEquals(BUILT, SubPath.indexPage(BUILT, ""));
    }

    @Test
    void underASubPathItsPublicUrlAndLinksCarryTheSubPath() {
        assertEquals("<script>window.PUBLIC_URL=\"/ohif/\"</script><link rel=\"manifest\" href=\"/ohif/manifest.json\">"
                + "<script src=\"/ohif/app-config.js\"></script><a href=\"https://ohif.org/\">", SubPath.indexPage(BUILT, "/ohif"));
    }

    @Test
    void bundlesLoadTheirChunksAndFontsFromTheSubPath() {
        assertEquals("x;__webpack_require__.p = \"/ohif/\";y", SubPath.bundle("/app.bundle.1.js",
                "x;__webpack_require__.p = \"/\";y", "/ohif"));
        assertEquals("@font-face{src:url(/ohif/a.woff2)}", SubPath.bundle("/app.bundle.css",
                "@font-face{src:url(/a.woff2)}", "/ohif"));
        assertEquals(true, SubPath.mayNameTheRoot("/app.bundle.1.js"));
        assertEquals(false, SubPath.mayNameTheRoot("/ort/ort.all.js"));
    }
}
