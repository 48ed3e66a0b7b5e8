package org.ohifgateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The gateway's settings file: the path in the environment variable {@code GATEWAY_SETTINGS}, a
 * Java properties file ({@code key = value}, {@code #} comments, UTF-8) whose keys are the
 * settings' keys in either spelling ({@code orthanc.url} or {@code ORTHANC_URL}). The environment
 * wins over the file.
 */
public final class SettingsFile {

    /** The environment variable naming the settings file. */
    public static final String VARIABLE = "GATEWAY_SETTINGS";

    private final Path path;
    private final Map<String, String> values;

    private SettingsFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    /** The file named by {@code GATEWAY_SETTINGS} in this environment, or none. */
    public static Optional<SettingsFile> named(Map<String, String> environment) {
        return Optional.ofNullable(environment.get(VARIABLE)).filter(name -> !name.isBlank())
                .map(name -> read(Path.of(name)));
    }

    /** Reads the file; a missing or unreadable file is a setting error naming it. */
    public static SettingsFile read(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " names " + path + ", which cannot be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((key, value) -> values.put(key.toString().trim(), value.toString().trim()));
        return new SettingsFile(path, values);
    }

    public Path path() {
        return path;
    }

    /** The value of a setting, under its key or its environment name. */
    public Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key)).or(() -> Optional.ofNullable(values.get(EnvironmentName.of(key))));
    }

    /** Every entry as written, for MicroProfile Config and for checking which keys are known. */
    public Map<String, String> entries() {
        return values;
    }
}
