package org.ohifgateway.tools.start;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.ohifgateway.config.EnvironmentName;
import org.ohifgateway.config.Secrets;
import org.ohifgateway.config.SettingsFile;

/**
 * The settings as the server will see them: the environment over the settings file, secrets read
 * from their files. Remembers which keys were asked for, so that a key in the file that nothing
 * reads (a typing mistake) can be pointed out.
 */
final class LaunchSettings implements Function<String, Optional<String>> {

    private final Map<String, String> environment;
    private final Optional<SettingsFile> file;
    private final Function<String, Optional<String>> withSecrets;
    private final Set<String> asked = new TreeSet<>();

    LaunchSettings(Map<String, String> environment) {
        this.environment = environment;
        this.file = SettingsFile.named(environment);
        this.withSecrets = Secrets.fromFiles(this::plain);
    }

    @Override
    public Optional<String> apply(String key) {
        return withSecrets.apply(key);
    }

    private Optional<String> plain(String key) {
        asked.add(key);
        return EnvironmentName.lookup(environment, key)
                .or(() -> file.flatMap(settings -> settings.value(key)))
                .map(String::trim).filter(value -> !value.isEmpty());
    }

    Optional<SettingsFile> file() {
        return file;
    }

    /** Keys in the settings file that no part of the gateway asked for. */
    Set<String> unknownFileKeys() {
        Set<String> unknown = new TreeSet<>();
        file.ifPresent(settings -> settings.entries().keySet().stream()
                .filter(key -> asked.stream().noneMatch(known -> key.equals(known)
                        || key.equals(EnvironmentName.of(known))))
                .forEach(unknown::add));
        return unknown;
    }
}
