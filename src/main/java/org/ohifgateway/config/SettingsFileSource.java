package org.ohifgateway.config;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The settings file ({@link SettingsFile}) as a MicroProfile Config source, below the environment
 * (300) and system properties (400), above the defaults built into the gateway.
 */
public final class SettingsFileSource implements ConfigSource {

    private static final int ORDINAL = 250;

    private final SettingsFile file;

    public SettingsFileSource() {
        this.file = SettingsFile.named(System.getenv()).orElse(null);
    }

    @Override
    public Map<String, String> getProperties() {
        return file == null ? Map.of() : file.entries();
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String key) {
        return file == null ? null : file.value(key).orElse(null);
    }

    @Override
    public String getName() {
        return file == null ? "settings file (none)" : "settings file " + file.path();
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
