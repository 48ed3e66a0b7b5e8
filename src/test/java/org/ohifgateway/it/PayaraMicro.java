package org.ohifgateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Payara Micro process with one WAR, started the way bin/ohif-gateway-demo and the README
 * start it: {@code java -jar ohif-gateway-tools.jar start}, which checks the settings and starts
 * Payara Micro with the project's boot commands. The process inherits the test JVM's environment
 * (pom.xml's failsafe environmentVariables) plus the given variables; its console goes to a log
 * file. The server's small heap is deliberate: the gateway must stream bodies, never hold them.
 */
final class PayaraMicro extends ServerProcess {

    private PayaraMicro(Process process, int httpPort, String contextRoot, Path log) {
        super(process, httpPort, contextRoot, log);
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

    /**
     * Payara Micro itself, without the start command and without a WAR, with the given options:
     * what anyone with the server's jar can run. Waits for its "ready" line.
     */
    static PayaraMicro startBare(int httpPort, Path log, String... options) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dhazelcast.socket.bind.any=false", "-jar", Path.of(System.getProperty("it.toolsJar")).resolveSibling("payara-micro.jar").toString(),
                "--port", Integer.toString(httpPort), "--rootdir", log.resolveSibling("runtime").toString()));
        command.addAll(List.of(options));
        PayaraMicro payara = new PayaraMicro(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(), httpPort, "/", log);
        payara.awaitReady(() -> payara.logText().contains("ready in"));
        return payara;
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
        payara.awaitLogin();
        return payara;
    }

    @Override
    String name() {
        return "Payara Micro";
    }

    /** The Payara Micro process itself (a child of the start command). */
    @Override
    long pid() {
        return process().children().findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new AssertionError("Payara Micro is not running; see " + log()));
    }
}
