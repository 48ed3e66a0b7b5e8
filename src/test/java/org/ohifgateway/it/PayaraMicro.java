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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Micro process with one WAR, started the way bin/ohif-gateway-demo and the README
 * start it: {@code java -Xmx256m -jar payara-micro.jar --nohazelcast --deploy WAR --contextroot
 * ROOT --port PORT} with the project's pre- and post-boot command files. The process inherits
 * the test JVM's environment (pom.xml's failsafe environmentVariables) plus the given
 * variables; its console goes to a log file. The small heap is deliberate: the gateway must
 * stream bodies, never hold them.
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
        this.killOnExit = new Thread(process::destroyForcibly, "payara-micro-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts Payara Micro with the WAR at the context root ("/" or "/ohif") on the HTTP port; does not wait. */
    static PayaraMicro start(Path war, String contextRoot, int httpPort, Map<String, String> environment, Path log)
            throws IOException {
        return start(war, contextRoot, httpPort, environment, log, Path.of("deploy/payara/post-boot.asadmin"), List.of());
    }

    /** The same with another post-boot command file and more Payara Micro options (--systemproperties FILE). */
    static PayaraMicro start(Path war, String contextRoot, int httpPort, Map<String, String> environment, Path log,
            Path postBootCommands, List<String> options) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", System.getProperty("payara.microJar"), "--nohazelcast",
                "--deploy", war.toString(), "--contextroot", contextRoot, "--port", Integer.toString(httpPort),
                "--prebootcommandfile", "deploy/payara/pre-boot.asadmin",
                "--postbootcommandfile", postBootCommands.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new PayaraMicro(builder.start(), httpPort, contextRoot, log);
    }

    /** Starts it and waits until the WAR answers an anonymous request on the HTTP port with its login challenge. */
    static PayaraMicro startAndAwaitLogin(Path war, String contextRoot, Map<String, String> environment, Path log)
            throws Exception {
        return awaitLogin(start(war, contextRoot, freePort(), environment, log));
    }

    /** The same with another post-boot command file and more Payara Micro options. */
    static PayaraMicro startAndAwaitLogin(Path war, Map<String, String> environment, Path log, Path postBootCommands,
            List<String> options) throws Exception {
        return awaitLogin(start(war, "/", freePort(), environment, log, postBootCommands, options));
    }

    private static PayaraMicro awaitLogin(PayaraMicro payara) throws Exception {
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

    long pid() {
        return process.pid();
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
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
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
