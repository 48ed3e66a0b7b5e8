package org.ohifgateway.viewer;

import org.ohifgateway.config.ViewerSettings;

/**
 * OHIF's app-config.js with the site's {@link ViewerSettings}: one object literal in place of
 * the template's placeholder, which the template's own code turns into OHIF's configuration keys.
 */
final class AppConfigScript {

    static final String PLACEHOLDER = "__VIEWER_SETTINGS__";

    private AppConfigScript() {
    }

    /** The template with the settings, as one user sees them. */
    static String render(ViewerSettings settings, String template, boolean userMayUpload) {
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("the app-config.js template has no " + PLACEHOLDER);
        }
        return template.replace(PLACEHOLDER, literal(settings, userMayUpload));
    }

    private static String literal(ViewerSettings settings, boolean userMayUpload) {
        return "{"
                + "\"title\": " + settings.title().map(AppConfigScript::string).orElse("null")
                + ", \"dataSourceName\": " + string(settings.dataSourceName())
                + ", \"defaultMode\": " + settings.defaultMode().map(AppConfigScript::string).orElse("null")
                + ", \"studyListPageSize\": " + settings.studyListPageSize().map(String::valueOf).orElse("null")
                + ", \"upload\": " + (settings.upload() && userMayUpload)
                + ", \"tour\": " + settings.tour()
                + ", \"investigationalUseNotice\": " + settings.investigationalUseNotice()
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
