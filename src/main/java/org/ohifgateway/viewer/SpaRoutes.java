package org.ohifgateway.viewer;

/** Tells a browser navigation (which should get the single-page app) from a fetch of a file. */
public final class SpaRoutes {

    private SpaRoutes() {
    }

    public static boolean isNavigation(String method, String accept, String secFetchMode) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if (secFetchMode != null) {
            return secFetchMode.equals("navigate");
        }
        return accept != null && accept.contains("text/html");
    }
}
