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
import java.util.concurrent.TimeUnit;

/**
 * One application server process with the gateway's WAR ({@link PayaraMicro}, {@link WildFly}):
 * its console in a log file, waited for until the WAR answers, stopped with everything it started.
 */
abstract class ServerProcess implements AutoCloseable {

    /** Generous: two servers booting at once on a shared 2-core machine took up to 172 s, and longer beside stress. */
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(300);

    private final Process process;
    private final int httpPort;
    private final String contextRoot;
    private final Path log;
    private final Thread killOnExit;

    ServerProcess(Process process, int httpPort, String contextRoot, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.contextRoot = contextRoot;
        this.log = log;
        // A test JVM that ends without closing this (killed, System.exit) takes the server along.
        this.killOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "server-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The server's name in failure messages. */
    abstract String name();

    /** The server's own Java process (a child of the command started). */
    abstract long pid();

    interface Readiness {
        /** True once the server is ready; an IOException counts as not yet. */
        boolean ready() throws IOException, InterruptedException;
    }

    /** Waits until the WAR answers an anonymous request with its login challenge; stops the server if it never does. */
    void awaitLogin() throws Exception {
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest challenge = HttpRequest.newBuilder(URI.create(url() + "/"))
                    .timeout(Duration.ofSeconds(10)).build();
            awaitReady(() -> {
                HttpResponse<Void> answer = client.send(challenge, HttpResponse.BodyHandlers.discarding());
                return answer.statusCode() == 401
                        && answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic");
            });
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Polls until the check passes; fails with the server's log if the process exits or takes too long. */
    void awaitReady(Readiness check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name() + " exited with " + process.exitValue() + "; see " + log
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
        throw new AssertionError(name() + " was not ready within " + BOOT_LIMIT.toSeconds() + " s; see " + log
                + "\n" + logText());
    }

    /** http://127.0.0.1:PORT plus the context root, without a trailing slash. */
    String url() {
        return "http://127.0.0.1:" + httpPort + (contextRoot.equals("/") ? "" : contextRoot);
    }

    /** The server's MicroProfile Health endpoint: beside the gateway unless the server puts it elsewhere. */
    String healthUrl() {
        return url() + "/health";
    }

    int httpPort() {
        return httpPort;
    }

    Process process() {
        return process;
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
        // The command started stops its server when it is stopped itself, and waits for it.
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
