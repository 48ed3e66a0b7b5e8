package org.ohifgateway.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian package haproxy) in front of two gateways on loopback, with the project's
 * configuration (deploy/haproxy/haproxy.cfg): each gateway health-checked on its /ready.
 */
record LoadBalancer(Process process, int port, int statsPort, Path log) implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts HAProxy before gateway-a and gateway-b (their HTTP ports, context root "/") and waits until it serves. */
    static LoadBalancer start(Path dir, int gatewayA, int gatewayB) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = PayaraMicro.freePort();
        int statsPort = PayaraMicro.freePort();
        String haproxy = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
        Path log = dir.resolve("haproxy.log");
        ProcessBuilder builder = new ProcessBuilder(haproxy, "-db", "-f", Path.of("deploy/haproxy/haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("LB_BIND", "127.0.0.1:" + port, "LB_STATS_BIND", "127.0.0.1:" + statsPort,
                "LB_CHECK_HOST", "127.0.0.1", "LB_CHECK_URI", "/ready",
                "GATEWAY_A", "127.0.0.1:" + gatewayA, "GATEWAY_B", "127.0.0.1:" + gatewayB));
        LoadBalancer balancer = new LoadBalancer(builder.start(), port, statsPort, log);
        try {
            balancer.awaitStates(Map.of("gateway-a", "UP", "gateway-b", "UP"), Duration.ofSeconds(30));
            return balancer;
        } catch (IOException | InterruptedException | AssertionError e) {
            balancer.close();
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Each gateway's state as HAProxy sees it (UP, DOWN, "UP 1/2" while checks change it), from its CSV page. */
    Map<String, String> states() throws IOException, InterruptedException {
        HttpResponse<String> csv = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/;csv"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> states = new HashMap<>();
        List<String> lines = csv.body().lines().toList();
        List<String> columns = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        int name = columns.indexOf("svname");
        int status = columns.indexOf("status");
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (line.startsWith("gateways,") && fields[name].startsWith("gateway-")) {
                states.put(fields[name], fields[status]);
            }
        }
        return states;
    }

    /** Waits until HAProxy reports these states; returns how long that took. */
    Duration awaitStates(Map<String, String> expected, Duration limit) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        Map<String, String> states = Map.of();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("HAProxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                states = states();
                if (states.entrySet().containsAll(expected.entrySet())) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("HAProxy did not report " + expected + " within " + limit.toSeconds() + " s: " + states
                + "\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
