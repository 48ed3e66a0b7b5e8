package org.ohifgateway.config;

/** Reading a setting's text as a switch or a number, with a message naming the setting both ways. */
public final class SettingValues {

    private SettingValues() {
    }

    public static boolean bool(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(key, "must be true or false, got: " + value);
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
        throw invalid(key, "must be a positive whole number, got: " + value);
    }

    /** A setting's value refused, naming the setting both ways: {@code orthanc.url (ORTHANC_URL) must ...}. */
    public static IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(EnvironmentName.both(key) + " " + problem);
    }
}
