package org.ohifgateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Micro process with one WAR, started the way bin/ohif-gateway-demo and the README
 * start it: {@code java -jar ohif-gateway-tools.jar start}, which checks the settings and starts
 * Payara Micro with the project's boot commands. The process inherits the test JVM's environment
 * (pom.xml's failsafe environmentVariables) plus the given variables; its console goes to a log
 * file. The server's small heap is deliberate: the gateway must stream bodies, never hold them.
 */
final class PayaraMicro implements AutoCloseable {

    private static final Duration BOOT_LIMIT = Duration.ofSeconds(180);

    private final Process process;
    private final int httpPort;
    private final String contextRoot;
    private final Path log;
    private final Thread killOnExit;

    private PayaraMicro(Process process, int httpPort, String contextRoot, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.contextRoot = contextRoot;
        this.log = log;
        // A test JVM that ends without closing this (killed, System.exit) takes the server along.
        this.killOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "payara-micro-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts Payara Micro with the WAR at the context root ("/" or "/ohif") on the HTTP port; does not wait. */
    static PayaraMicro start(Path war, String contextRoot, int httpPort, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        Map<String, String> settings = new HashMap<>(Map.of("GATEWAY_PORT", Integer.toString(httpPort),
                "GATEWAY_CONTEXT_ROOT", contextRoot, "GATEWAY_JVM_OPTIONS", "-Xmx256m"));
        settings.putAll(environment);
        ProcessBuilder builder = startCommand(settings, "--war", war.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        return new PayaraMicro(builder.start(), httpPort, contextRoot, log);
    }

    /** {@code java -jar ohif-gateway-tools.jar start}, in the test JVM's environment plus the given variables. */
    static ProcessBuilder startCommand(Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("it.toolsJar"), "start"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    /** Starts it and waits until the WAR answers an anonymous request on the HTTP port with its login challenge. */
    static PayaraMicro startAndAwaitLogin(Path war, String contextRoot, Map<String, String> environment, Path log)
            throws Exception {
        PayaraMicro payara = start(war, contextRoot, freePort(), environment, log);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest challenge = HttpRequest.newBuilder(URI.create(payara.url() + "/"))
                    .timeout(Duration.ofSeconds(10)).build();
            payara.awaitReady(() -> {
                HttpResponse<Void> answer = client.send(challenge, HttpResponse.BodyHandlers.discarding());
                return answer.statusCode() == 401
                        && answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic");
            });
            return payara;
        } catch (Exception | AssertionError e) {
            payara.close();
            throw e;
        }
    }

    interface Readiness {
        /** True once the server is ready; an IOException counts as not yet. */
        boolean ready() throws IOException, InterruptedException;
    }

    /** Polls until the check passes; fails with the server's log if the process exits or takes too long. */
    void awaitReady(Readiness check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro exited with " + process.exitValue() + "; see " + log
                        + "\n" + logText());
            }
            try {
                if (check.ready()) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Payara Micro was not ready within " + BOOT_LIMIT.toSeconds() + " s; see " + log
                + "\n" + logText());
    }

    /** http://127.0.0.1:PORT plus the context root, without a trailing slash. */
    String url() {
        return "http://127.0.0.1:" + httpPort + (contextRoot.equals("/") ? "" : contextRoot);
    }

    int httpPort() {
        return httpPort;
    }

    /** The Payara Micro process itself (a child of the start command). */
    long pid() {
        return process.children().findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new AssertionError("Payara Micro is not running; see " + log));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String logText() throws IOException {
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws InterruptedException {
        // The start command stops Payara Micro when it is stopped itself, and waits for it.
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down already; the hook has nothing left to do
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
