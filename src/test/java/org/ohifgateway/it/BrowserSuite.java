package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the browser tests in src/test/e2e (Node's test runner, playwright-core, Debian's Chromium)
 * against a deployed gateway. The npm dependencies are installed from the lock file into
 * target/e2e; screenshots of failed tests land in target/e2e/artifacts.
 */
final class BrowserSuite {

    private static final List<String> FILES = List.of("package.json", "package-lock.json", "viewer.test.mjs");

    private BrowserSuite() {
    }

    static void run(String suite, Map<String, String> environment) throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium is required in CI: " + chromium + " is missing (Debian package chromium)");
            }
            Assumptions.abort("no Chromium at " + chromium);
        }
        Path dir = Path.of(System.getProperty("it.e2e.dir"));
        Path sources = Path.of(System.getProperty("it.e2e.sources"));
        Files.createDirectories(dir);
        boolean lockChanged = !Files.exists(dir.resolve("package-lock.json"))
                || Files.mismatch(sources.resolve("package-lock.json"), dir.resolve("package-lock.json")) != -1;
        for (String file : FILES) {
            Files.copy(sources.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.exists(dir.resolve("node_modules/playwright-core/package.json"))) {
            execute(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), dir.resolve("npm-ci.log"), 10);
        }
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("E2E_SUITE", suite);
        env.put("E2E_ARTIFACTS", dir.resolve("artifacts").toString());
        env.put("CHROMIUM", chromium);
        execute(dir, List.of("node", "--test", "--test-reporter=spec", "viewer.test.mjs"), env,
                dir.resolve(suite + ".log"), 20);
    }

    private static void execute(Path dir, List<String> command, Map<String, String> env, Path log, int minutes)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " took longer than " + minutes + " min; output in " + log);
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed (log " + log + "):\n" + output);
    }
}
