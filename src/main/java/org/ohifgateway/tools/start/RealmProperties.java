package org.ohifgateway.tools.start;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ohifgateway.config.EnvironmentName;
import org.ohifgateway.config.SettingValues;

/**
 * The {@code --property} argument of a {@code create-auth-realm} line in a Payara Micro boot
 * command file, written so that every value arrives as it is.
 *
 * <p>What a value passes through (Payara Micro 6): the boot command file's reader replaces
 * {@code ${...}} with variables, then splits the line at white space, where a span in quotes may
 * hold spaces only if it ends the word and holds no other quote; then {@code create-auth-realm}
 * splits the argument at unescaped {@code :} and each property at unescaped {@code =}, taking a
 * backslash as an escape for the next character and quotes as quoting. So every {@code \ : = " ' {}
 * is escaped, and the one value with spaces, if any, comes last in double quotes. Two values with
 * spaces cannot be written on one line: that is refused, naming their settings.
 */
final class RealmProperties {

    private record Property(String value, String setting) {
    }

    private final Map<String, Property> properties = new LinkedHashMap<>();

    /**
     * Adds a property.
     *
     * @param setting the setting the value comes from, named when it cannot be written
     */
    RealmProperties add(String name, String value, String setting) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw SettingValues.invalid(setting, "may not contain line breaks, tabs or other control characters");
        }
        properties.put(name, new Property(value, setting));
        return this;
    }

    /** A property's value as added. */
    String value(String name) {
        return properties.get(name).value();
    }

    /** The argument of {@code --property}. */
    String render() {
        List<String> plain = new ArrayList<>();
        String spaced = null;
        String spacedSetting = null;
        for (Map.Entry<String, Property> entry : properties.entrySet()) {
            Property property = entry.getValue();
            if (!property.value().contains(" ")) {
                plain.add(entry.getKey() + "=" + escaped(property.value()));
                continue;
            }
            if (spaced != null) {
                throw SettingValues.invalid(property.setting(), "and " + EnvironmentName.both(spacedSetting)
                        + " both have spaces, and Payara's boot command file can carry only one value with spaces"
                        + " per command: remove the spaces from one of them");
            }
            if (property.value().contains("\"") || property.value().contains("'")) {
                throw SettingValues.invalid(property.setting(), "has spaces and quotes, which Payara's boot command"
                        + " file cannot carry together");
            }
            spaced = entry.getKey() + "=\"" + escaped(property.value()) + "\"";
            spacedSetting = property.setting();
        }
        if (spaced != null) {
            plain.add(spaced);
        }
        return String.join(":", plain);
    }

    private static String escaped(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (char c : value.toCharArray()) {
            if ("\\:=\"'{".indexOf(c) >= 0) {
                // An unescaped "{" after "$" would be replaced by a variable's value.
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
