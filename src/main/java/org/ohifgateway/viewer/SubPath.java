package org.ohifgateway.viewer;

/**
 * OHIF's build expects to be served from the server root ("/"). Under a sub-path such as /ohif,
 * the few places that say so are changed: the page's PUBLIC_URL (from which OHIF takes the
 * router's base) and absolute links, the public path compiled into webpack's runtime in the main
 * bundle and each worker bundle (from which they load their chunks), and font URLs in CSS.
 */
public final class SubPath {

    static final String WEBPACK_PUBLIC_PATH = "__webpack_require__.p = \"/\";";

    private SubPath() {
    }

    public static String indexPage(String builtIndex, String contextPath) {
        if (contextPath.isEmpty()) {
            return builtIndex;
        }
        return builtIndex
                .replace("window.PUBLIC_URL=\"/\"", "window.PUBLIC_URL=\"" + contextPath + "/\"")
                .replace("href=\"/", "href=\"" + contextPath + "/")
                .replace("src=\"/", "src=\"" + contextPath + "/");
    }

    /** Whether a file of the build may name the server root and so needs {@link #bundle}. */
    static boolean mayNameTheRoot(String path) {
        return path.lastIndexOf('/') == 0 && (path.endsWith(".js") || path.endsWith(".css"));
    }

    /** A script or style sheet of the build with its root paths under the context path. */
    public static String bundle(String path, String content, String contextPath) {
        if (path.endsWith(".css")) {
            return content.replace("url(/", "url(" + contextPath + "/");
        }
        return content.replace(WEBPACK_PUBLIC_PATH, "__webpack_require__.p = \"" + contextPath + "/\";");
    }
}
