package org.ohifgateway.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.ohifgateway.config.ViewerSettings;

class AppConfigScriptTest {

    private static final String TEMPLATE = "(function () {\n  const settings = " + AppConfigScript.PLACEHOLDER + ";\n})();\n";
    private static final String HOSTILE = "St. Mary's \"Imaging\" </script><script>alert(1)</script> \\ \u2028\u2029 \u00e9\u4e2d"
            + " \ud83d\ude00 \ud800 <!-- &amp;";

    private static ViewerSettings settings(String title, boolean upload) {
        return new ViewerSettings(Optional.of(title), "Archive \"North\"", Optional.of("@ohif/mode-segmentation"),
                Optional.of(3), upload, false, false);
    }

    /** The object literal app-config.js gets, read back as JSON. */
    private static JsonObject rendered(String appConfig) {
        String literal = appConfig.substring(appConfig.indexOf("const settings = ") + 17, appConfig.indexOf(";\n})();"));
        return Json.createReader(new StringReader(literal)).readObject();
    }

    @Test
    void textComesThroughExactlyAndCannotLeaveItsString() {
        String appConfig = AppConfigScript.render(settings(HOSTILE, true), TEMPLATE, true);
        JsonObject json = rendered(appConfig);
        assertEquals(HOSTILE, json.getString("title"));
        assertEquals("Archive \"North\"", json.getString("dataSourceName"));
        assertFalse(appConfig.toLowerCase().contains("</script"), appConfig);
        assertFalse(appConfig.contains("<!--"), appConfig);
        assertTrue(appConfig.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e)),
                "only printable ASCII, so no U+2028 or lone surrogate reaches the script: " + appConfig);
    }

    @Test
    void everySettingReachesTheScript() {
        JsonObject json = rendered(AppConfigScript.render(settings("Radiology", true), TEMPLATE, true));
        assertEquals("@ohif/mode-segmentation", json.getString("defaultMode"));
        assertEquals(3, json.getInt("studyListPageSize"));
        assertTrue(json.getBoolean("upload"));
        assertFalse(json.getBoolean("tour"));
        assertFalse(json.getBoolean("investigationalUseNotice"));
    }

    @Test
    void unsetSettingsAreNullSoOhifKeepsItsOwn() {
        JsonObject json = rendered(AppConfigScript.render(new ViewerSettings(Optional.empty(), "Orthanc", Optional.empty(),
                Optional.empty(), true, true, true), TEMPLATE, true));
        assertEquals(JsonValue.NULL, json.get("title"));
        assertEquals(JsonValue.NULL, json.get("defaultMode"));
        assertEquals(JsonValue.NULL, json.get("studyListPageSize"));
        assertTrue(json.getBoolean("tour"));
        assertTrue(json.getBoolean("investigationalUseNotice"));
    }

    @Test
    void uploadNeedsBothTheSettingAndTheUsersRole() {
        assertTrue(rendered(AppConfigScript.render(settings("x", true), TEMPLATE, true)).getBoolean("upload"));
        assertFalse(rendered(AppConfigScript.render(settings("x", true), TEMPLATE, false)).getBoolean("upload"));
        assertFalse(rendered(AppConfigScript.render(settings("x", false), TEMPLATE, true)).getBoolean("upload"));
    }

    @Test
    void theShippedTemplateTakesTheSettings() throws IOException {
        String template = Files.readString(Path.of("src/main/webapp/WEB-INF/app-config.template.js"));
        String appConfig = AppConfigScript.render(settings("Radiology", false), template, true);
        assertFalse(appConfig.contains(AppConfigScript.PLACEHOLDER));
        assertTrue(appConfig.contains("const settings = {\"title\": \"Radiology\""), appConfig);
    }

    @Test
    void aTemplateWithoutThePlaceholderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AppConfigScript.render(settings("x", true), "window.config = {};", true));
    }
}
