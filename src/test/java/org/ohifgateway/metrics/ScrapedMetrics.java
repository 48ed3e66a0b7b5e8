package org.ohifgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metrics in Prometheus's text format as a test reads them: the samples by name and labels, and
 * what Prometheus's own checker (promtool, Debian package prometheus) says of the text.
 */
public final class ScrapedMetrics {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    public ScrapedMetrics(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // No timestamps are written, so the value is what follows the last space.
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0) {
                Matcher label = LABEL.matcher(series.substring(brace));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(brace < 0 ? series : series.substring(0, brace), labels,
                    Double.parseDouble(line.substring(space + 1))));
        }
    }

    public String text() {
        return text;
    }

    /** The sum of the samples of a name whose labels include these (name, value, name, value...). */
    public double sum(String name, String... labels) {
        double sum = 0;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample.labels(), labels)) {
                sum += sample.value();
            }
        }
        return sum;
    }

    /** Whether there is a sample of this name at all. */
    public boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }

    /** The values a label takes among the samples of a name. */
    public List<String> labelValues(String name, String label) {
        return samples.stream().filter(sample -> sample.name().equals(name))
                .map(sample -> sample.labels().get(label)).distinct().toList();
    }

    private static boolean matches(Map<String, String> labels, String[] wanted) {
        for (int i = 0; i < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(labels.get(wanted[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code promtool check metrics} over the text and fails on any finding (exit code 0
     * only: 1 is a parse error, 3 a lint finding). Without promtool the check is skipped, except
     * in CI, where it is required.
     */
    public void assertPromtoolFindsNothing(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("promtool is required in CI: " + PROMTOOL + " is missing (Debian package prometheus)");
            }
            assumeTrue(false, "promtool is not installed (Debian package prometheus)");
        }
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "metrics", ".txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(file.toFile()).redirectErrorStream(true).start();
        String findings = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = promtool.waitFor();
        assertTrue(exit == 0, "promtool check metrics exited " + exit + " on " + file + ":\n" + findings);
    }
}
