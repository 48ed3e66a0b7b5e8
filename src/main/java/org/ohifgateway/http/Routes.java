package org.ohifgateway.http;

/**
 * The gateway's proxied routes as web.xml maps them (a unit test holds the two together): the
 * few places that must know a route before it runs (protective headers and the audit of
 * requests the container refused) take the prefixes from here.
 */
public final class Routes {

    /** Orthanc's DICOMweb API. */
    public static final String DICOMWEB = "/pacs";
    /** Orthanc Explorer and Orthanc's REST API. */
    public static final String ADMIN = "/pacs-admin";

    private Routes() {
    }

    /** Whether a path inside the application (without the context path) lies on the route. */
    public static boolean on(String route, String path) {
        return path.equals(route) || path.startsWith(route + "/");
    }

    /** Whether a path inside the application reaches the archive through one of the proxied routes. */
    public static boolean toArchive(String path) {
        return on(DICOMWEB, path) || on(ADMIN, path);
    }
}
