package org.ohifgateway.config;

/** Reading a setting's text as a switch or a number, with a message naming the setting both ways. */
public final class SettingValues {

    private SettingValues() {
    }

    public static boolean bool(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(EnvironmentName.both(key) + " must be true or false, got: " + value);
    }

    public static int positive(String key, String value) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key's name
        }
        throw new IllegalArgumentException(EnvironmentName.both(key) + " must be a positive whole number, got: "
                + value);
    }
}
