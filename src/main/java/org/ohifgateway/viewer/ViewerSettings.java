package org.ohifgateway.viewer;

import java.util.Optional;

/**
 * What a site sets about the viewer without rebuilding it (gateway.viewer.*), and its rendering
 * into OHIF's app-config.js: one object literal in place of the template's placeholder, which the
 * template's own code turns into OHIF's configuration keys.
 *
 * @param title             text in place of OHIF's logo and as the page's title; empty keeps OHIF's logo
 * @param dataSourceName    the archive's name where OHIF names its data source
 * @param defaultMode       id of the mode a double-clicked study opens in, unless the user chose another
 * @param studyListPageSize rows per study list page; empty keeps OHIF's 50
 * @param upload            whether anyone gets OHIF's upload button (uploaders and admins only, even then)
 * @param tour              OHIF's guided tour on first use
 * @param investigationalUseNotice OHIF's "for investigational use only" banner
 */
public record ViewerSettings(Optional<String> title, String dataSourceName, Optional<String> defaultMode,
        Optional<Integer> studyListPageSize, boolean upload, boolean tour, boolean investigationalUseNotice) {

    static final String PLACEHOLDER = "__VIEWER_SETTINGS__";

    /** The template with these settings, as one user sees them. */
    public String appConfig(String template, boolean userMayUpload) {
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("the app-config.js template has no " + PLACEHOLDER);
        }
        return template.replace(PLACEHOLDER, literal(userMayUpload));
    }

    private String literal(boolean userMayUpload) {
        return "{"
                + "\"title\": " + title.map(ViewerSettings::string).orElse("null")
                + ", \"dataSourceName\": " + string(dataSourceName)
                + ", \"defaultMode\": " + defaultMode.map(ViewerSettings::string).orElse("null")
                + ", \"studyListPageSize\": " + studyListPageSize.map(String::valueOf).orElse("null")
                + ", \"upload\": " + (upload && userMayUpload)
                + ", \"tour\": " + tour
                + ", \"investigationalUseNotice\": " + investigationalUseNotice
                + "}";
    }

    /**
     * A JSON string that stays one string inside a script: quotes, backslashes, the HTML
     * characters of "&lt;/script&gt;" and everything outside printable ASCII (control characters,
     * U+2028, lone surrogates) are written as numeric escapes.
     */
    static String string(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || "\"\\<>&".indexOf(c) >= 0) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
