package org.ohifgateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Passwords may be given as files, the container-secret convention: {@code orthanc.password-file}
 * ({@code ORTHANC_PASSWORD_FILE}) names a file holding {@code orthanc.password}. So a secret
 * need not be in the environment or the settings file; one trailing line break is ignored.
 */
public final class Secrets {

    /** The settings that are secrets: never logged, and each may come from a file. */
    public static final Set<String> KEYS = Set.of("orthanc.password", "orthanc.trust-store-password",
            "gateway.keystore-password", "gateway.ldap.bind-password", "gateway.ldap.trust-store-password",
            "gateway.cluster.secret");

    private static final String FILE_SUFFIX = "-file";

    private Secrets() {
    }

    /** The settings with each secret read from its file when it is not given itself. */
    public static Function<String, Optional<String>> fromFiles(Function<String, Optional<String>> settings) {
        return key -> {
            Optional<String> value = settings.apply(key);
            if (!KEYS.contains(key)) {
                return value;
            }
            Optional<String> file = settings.apply(key + FILE_SUFFIX);
            if (value.isPresent() && file.isPresent()) {
                throw new IllegalArgumentException("give " + EnvironmentName.both(key) + " or "
                        + EnvironmentName.both(key + FILE_SUFFIX) + ", not both");
            }
            return value.or(() -> file.map(name -> read(key + FILE_SUFFIX, Path.of(name))));
        };
    }

    /** Whether a key is the file form of a secret ({@code orthanc.password-file}). */
    public static boolean isFileOfSecret(String key) {
        return key.endsWith(FILE_SUFFIX) && KEYS.contains(key.substring(0, key.length() - FILE_SUFFIX.length()));
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(EnvironmentName.both(key) + ": cannot read " + file);
        }
    }
}
