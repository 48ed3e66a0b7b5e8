package org.ohifgateway.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A setting's name as an environment variable, by MicroProfile Config's rule: every character
 * that is not a letter or digit becomes {@code _}, then upper case ({@code orthanc.trust-store}
 * is {@code ORTHANC_TRUST_STORE}).
 */
public final class EnvironmentName {

    private EnvironmentName() {
    }

    public static String of(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The key followed by its environment name, for messages: {@code orthanc.url (ORTHANC_URL)}. */
    public static String both(String key) {
        return key + " (" + of(key) + ")";
    }

    /** A setting's value in this environment, looked up as MicroProfile Config does. */
    public static Optional<String> lookup(Map<String, String> environment, String key) {
        String sanitized = key.replaceAll("[^A-Za-z0-9]", "_");
        for (String name : new String[] {key, sanitized, sanitized.toUpperCase(Locale.ROOT)}) {
            String value = environment.get(name);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
