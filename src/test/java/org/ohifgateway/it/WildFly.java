package org.ohifgateway.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ohifgateway.http.Roles;

/**
 * One WildFly with the gateway's WAR, set up the way README's "Other application servers" says:
 * the distribution Maven unpacked (it.wildfly.home), a server base directory of its own under the
 * test directory, deploy/wildfly/ohif-gateway.cli applied to it with jboss-cli, the users in the
 * realm's properties files (what WildFly's add-user.sh writes), the WAR in deployments/, and
 * standalone.sh with the MicroProfile profile. Ports are free loopback ports; the process inherits
 * the test JVM's environment (pom.xml's failsafe environmentVariables) like {@link PayaraMicro}.
 */
final class WildFly extends ServerProcess {

    private final int managementPort;
    private final Path configuration;

    private WildFly(Process process, int httpPort, int managementPort, Path configuration, Path log) {
        super(process, httpPort, "/", log);
        this.managementPort = managementPort;
        this.configuration = configuration;
    }

    /**
     * Sets up a server base in the directory with the given users (name, password, groups as in
     * the users file), starts WildFly with the WAR at "/" and waits for its login challenge.
     */
    static WildFly startAndAwaitLogin(Path war, Path dir, List<GatewayStack.User> users) throws Exception {
        return startAndAwaitLogin(war, dir, users, Map.of());
    }

    /**
     * The same with settings of its own (variables added to the test JVM's environment, such as
     * GATEWAY_SETTINGS), set up by {@code java -jar ohif-gateway-tools.jar wildfly-setup}, which
     * applies ohif-gateway.cli with the settings' values and the directory realm.
     */
    static WildFly startAndAwaitLogin(Path war, Path dir, List<GatewayStack.User> users, Map<String, String> environment)
            throws Exception {
        WildFly wildfly = start(war, dir, users, environment);
        wildfly.awaitLogin();
        return wildfly;
    }

    /** Sets up and starts it as above; does not wait. The given variables win over the test's ports. */
    static WildFly start(Path war, Path dir, List<GatewayStack.User> users, Map<String, String> environment)
            throws Exception {
        Path home = Path.of(System.getProperty("it.wildfly.home"));
        Path base = dir.resolve("standalone");
        GatewayStack.deleteTree(base);
        Files.createDirectories(base.resolve("deployments"));
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        writeUsers(base.resolve("configuration"), users);
        Path log = dir.resolve("wildfly.log");
        if (environment.isEmpty()) {
            configure(home, base, dir.resolve("jboss-cli.log"));
        } else {
            setUp(home, base, environment, dir.resolve("wildfly-setup.log"));
        }
        Files.copy(war, base.resolve("deployments/ohif-gateway.war"), StandardCopyOption.REPLACE_EXISTING);

        int httpPort = freePort();
        int managementPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-microprofile.xml", "-Djboss.server.base.dir=" + base,
                "-Djboss.management.http.port=" + managementPort, "-Djboss.management.https.port=" + freePort())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("GATEWAY_PORT", Integer.toString(httpPort),
                "GATEWAY_HTTPS_PORT", Integer.toString(freePort()),
                // standalone.sh then passes its own stop signal on to the server and waits for it.
                "LAUNCH_JBOSS_IN_BACKGROUND", "true"));
        builder.environment().putAll(environment);
        return new WildFly(builder.start(), httpPort, managementPort, base.resolve("configuration"), log);
    }

    /** deploy/wildfly/ohif-gateway.cli on the stopped server base, as an administrator runs it. */
    private static void configure(Path home, Path base, Path log) throws IOException, InterruptedException {
        ProcessBuilder cli = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(),
                "--file=" + System.getProperty("it.wildfly.cli"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        cli.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + base);
        Process process = cli.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("jboss-cli could not apply ohif-gateway.cli; see " + log + "\n"
                    + Files.readString(log));
        }
    }

    /** The settings' part of the set-up, as README's step by step runs it. */
    private static void setUp(Path home, Path base, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder setUp = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("it.toolsJar"), "wildfly-setup")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        setUp.environment().putAll(environment);
        setUp.environment().putAll(Map.of("JBOSS_HOME", home.toString(), "JAVA_OPTS", "-Djboss.server.base.dir=" + base));
        Process process = setUp.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("wildfly-setup failed; see " + log + "\n" + Files.readString(log));
        }
    }

    /** Replaces the users of the running server's realm, as an administrator's add-user.sh would. */
    void writeUsers(List<GatewayStack.User> users) throws IOException {
        writeUsers(configuration, users);
    }

    /**
     * The realm's two files as add-user.sh writes them: name=HEX(MD5(name:realm:password)), and
     * name=groups.
     */
    private static void writeUsers(Path configuration, List<GatewayStack.User> users) throws IOException {
        List<String> passwords = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (GatewayStack.User user : users) {
            passwords.add(user.name() + "=" + digest(user.name() + ":" + Roles.REALM + ":" + user.password()));
            groups.add(user.name() + "=" + user.groups());
        }
        Files.write(configuration.resolve("ohif-gateway-users.properties"), passwords);
        Files.write(configuration.resolve("ohif-gateway-roles.properties"), groups);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    String name() {
        return "WildFly";
    }

    /** WildFly serves MicroProfile Health on its management interface (loopback), not beside the applications. */
    @Override
    String healthUrl() {
        return "http://127.0.0.1:" + managementPort + "/health";
    }

    /** The server's Java process (a child of standalone.sh). */
    @Override
    long pid() {
        return process().children().filter(child -> child.info().command().orElse("").endsWith("java"))
                .findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new AssertionError("WildFly is not running; see " + log()));
    }
}
