package org.ohifgateway.tools.start;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.ohifgateway.config.EnvironmentName;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.config.Secrets;
import org.ohifgateway.config.SettingsFile;

/**
 * {@code check} and {@code start}: reads the settings (environment over the settings file), checks
 * every one of them, then starts Payara Micro with the gateway WAR and the boot commands, as a
 * child process that stops when this one is stopped. Secrets reach the server through its
 * environment, never its command line.
 */
public final class StartCommand {

    static final String USAGE = """
            usage: java -jar ohif-gateway-tools.jar check
                   java -jar ohif-gateway-tools.jar start [--war FILE]
              Settings come from the environment and from the file named by GATEWAY_SETTINGS
              (see README, Configuration). check only checks them; start checks them, then starts
              Payara Micro (payara-micro.jar and ohif-gateway.war beside this jar) and stops it
              when stopped itself.
                   JBOSS_HOME=DIR java -jar ohif-gateway-tools.jar wildfly-setup
              checks them, then sets up the stopped WildFly in DIR: deploy/wildfly/ohif-gateway.cli
              with the settings' values, and the directory realm of gateway.realm=ldap.""";

    private static final String PREFIX = "ohif-gateway: ";
    private static final String[] BOOT_COMMANDS = {"pre-boot.asadmin", "post-boot.asadmin"};

    private StartCommand() {
    }

    public static int check(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println(USAGE);
            return 2;
        }
        try {
            Checked checked = checked(environment, err, RealmCommands::from);
            out.println(PREFIX + "settings are valid" + checked.settings.file()
                    .map(file -> " (environment and " + file.path() + ")").orElse(" (environment)"));
            out.println(PREFIX + checked.summary());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        }
    }

    public static int start(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Path home = home();
        Path war = home.resolve("ohif-gateway.war");
        if (args.length == 2 && args[0].equals("--war")) {
            war = Path.of(args[1]);
        } else if (args.length > 0) {
            err.println(USAGE);
            return 2;
        }
        Path payara = home.resolve("payara-micro.jar");
        Checked checked;
        try {
            for (Path file : List.of(war, payara)) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(file + " is missing (build with mvn package)");
                }
            }
            checked = checked(environment, err, RealmCommands::from);
            checked.server.checkPortsFree();
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        }
        try {
            return run(checked, war, payara, environment, out);
        } catch (IOException e) {
            err.println(PREFIX + "could not start Payara Micro: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int run(Checked checked, Path war, Path payara, Map<String, String> environment, PrintStream out)
            throws IOException, InterruptedException {
        ServerSettings server = checked.server;
        BootFolders folders = new BootFolders(Path.of(System.getProperty("java.io.tmpdir")),
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        folders.removeAbandoned(Instant.now()).forEach(folder -> out.println(PREFIX + "removed " + folder
                + ", left behind by a start command that was killed"));
        Path commands = folders.create(ProcessHandle.current().pid());
        try {
            for (String name : BOOT_COMMANDS) {
                try (InputStream in = StartCommand.class.getResourceAsStream("payara/" + name)) {
                    Files.copy(in, commands.resolve(name));
                }
            }
            Files.write(commands.resolve(BOOT_COMMANDS[0]), server.preBootCommands(), StandardOpenOption.APPEND);
            Path systemProperties = realm(checked.realm, server.gridSystemProperties(), commands);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Passwords as browsers send them and as the users file hashes them: in UTF-8. Java 17
            // takes its default charset from the locale, which a service's is often not (POSIX:
            // ASCII), and the server's BASIC login and file realm read passwords in that charset.
            command.add("-Dfile.encoding=UTF-8");
            command.addAll(server.jvmOptions());
            command.addAll(server.gridJvmOptions());
            command.addAll(List.of("-jar", payara.toString()));
            command.addAll(server.gridOptions());
            command.addAll(List.of("--deploy", war.toString(), "--contextroot", server.contextRoot(),
                    "--port", Integer.toString(server.httpPort()),
                    "--prebootcommandfile", commands.resolve(BOOT_COMMANDS[0]).toString(),
                    "--postbootcommandfile", commands.resolve(BOOT_COMMANDS[1]).toString(),
                    "--systemproperties", systemProperties.toString(),
                    // Payara writes its configuration, passwords included, to its runtime directory:
                    // inside this one, which only the owner can read, rather than in the shared temp folder.
                    "--rootdir", commands.resolve("runtime").toString()));
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            Map<String, String> childEnvironment = new HashMap<>(environment);
            childEnvironment.putAll(checked.bootEnvironment);
            builder.environment().clear();
            builder.environment().putAll(childEnvironment);
            out.println(PREFIX + "starting Payara Micro: " + checked.summary());
            Process child = builder.start();
            BootFolders.addServer(commands, child.pid());
            // Stopped itself (SIGTERM), this JVM runs its hooks but not the finally below.
            Thread stopChild = new Thread(() -> {
                stop(child);
                BootFolders.remove(commands);
            }, "stop-payara-micro");
            Runtime.getRuntime().addShutdownHook(stopChild);
            int exit = child.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the server already
            }
            return exit;
        } finally {
            BootFolders.remove(commands);
        }
    }

    /**
     * Puts the realm's commands in place of the post-boot file's create-auth-realm line, writes
     * the realm's login configuration if it has one, and its system properties with the grid's.
     *
     * @return the system properties file for Payara Micro
     */
    private static Path realm(RealmCommands realm, Map<String, String> grid, Path commands) throws IOException {
        Path postBoot = commands.resolve(BOOT_COMMANDS[1]);
        List<String> lines = new ArrayList<>(realm.postBootCommands());
        Files.readAllLines(postBoot).stream().filter(line -> !line.startsWith("create-auth-realm")).forEach(lines::add);
        Files.write(postBoot, lines);
        Path loginConfiguration = commands.resolve("login.conf");
        if (realm.loginConfiguration().isPresent()) {
            Files.writeString(loginConfiguration, realm.loginConfiguration().get());
        }
        Properties properties = new Properties();
        properties.putAll(realm.systemProperties(loginConfiguration));
        properties.putAll(grid);
        Path file = commands.resolve("system.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        return file;
    }

    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }

    /**
     * {@code wildfly-setup}: checks the settings as {@code check} does, then runs WildFly's
     * jboss-cli (JBOSS_HOME; JAVA_OPTS passed on, for instance a server base directory) on a copy
     * of deploy/wildfly/ohif-gateway.cli with the settings' values ({@link WildFlyScript}) and the
     * realm's operations, in a file only this user can read, removed afterwards: it holds
     * passwords. jboss-cli's output is shown with those passwords masked.
     */
    public static int wildFlySetup(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        String jbossHome = environment.get("JBOSS_HOME");
        if (args.length > 0 || jbossHome == null || jbossHome.isBlank()) {
            err.println(USAGE);
            return 2;
        }
        Path cli = Path.of(jbossHome, "bin", "jboss-cli.sh");
        Checked checked;
        List<String> script;
        try {
            if (!Files.isExecutable(cli)) {
                throw new IllegalArgumentException("JBOSS_HOME names " + jbossHome + ", which has no bin/jboss-cli.sh");
            }
            checked = checked(environment, err, RealmCommands::forWildFly);
            try (InputStream in = StartCommand.class.getResourceAsStream("wildfly/ohif-gateway.cli")) {
                script = WildFlyScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(),
                        checked.server.wildFlyEnvironment(), checked.realm.wildFlyCommands());
            }
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> secrets = Secrets.KEYS.stream().map(checked.settings).flatMap(Optional::stream).toList();
        try {
            int exit = runJbossCli(cli, script, environment, secrets, out);
            if (exit == 0) {
                // The configuration and its history now hold the passwords: its owner's only, as Payara's runtime directory.
                Files.setPosixFilePermissions(wildFlyConfiguration(environment, Path.of(jbossHome)),
                        PosixFilePermissions.fromString("rwx------"));
                out.println(PREFIX + "WildFly in " + jbossHome + " is set up: " + checked.summary()
                        + (checked.realm.directory() ? ", logins checked against the directory" : ""));
            }
            return exit;
        } catch (IOException e) {
            err.println(PREFIX + "could not run " + cli + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The configuration directory jboss-cli's embedded server wrote: jboss.server.config.dir or
     * jboss.server.base.dir from JAVA_OPTS, else the server's own standalone directory.
     */
    static Path wildFlyConfiguration(Map<String, String> environment, Path jbossHome) {
        Path base = jbossHome.resolve("standalone");
        Path configuration = null;
        for (String option : environment.getOrDefault("JAVA_OPTS", "").trim().split("\\s+")) {
            if (option.startsWith("-Djboss.server.base.dir=")) {
                base = Path.of(option.substring(option.indexOf('=') + 1));
            } else if (option.startsWith("-Djboss.server.config.dir=")) {
                configuration = Path.of(option.substring(option.indexOf('=') + 1));
            }
        }
        return configuration != null ? configuration : base.resolve("configuration");
    }

    private static int runJbossCli(Path cli, List<String> script, Map<String, String> environment, List<String> secrets,
                                   PrintStream out) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ohif-gateway-wildfly-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path file = Files.write(dir.resolve("ohif-gateway.cli"), script);
            ProcessBuilder builder = new ProcessBuilder(cli.toString(), "--file=" + file).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            for (String secret : secrets) {
                output = output.replace(secret, "***");
            }
            out.print(output);
            return process.waitFor();
        } finally {
            BootFolders.remove(dir);
        }
    }

    /** Every setting checked, with what the server's boot commands need. */
    private static Checked checked(Map<String, String> environment, PrintStream err,
                                   Function<Function<String, String>, RealmCommands> realms) {
        LaunchSettings settings = new LaunchSettings(environment);
        ServerSettings server = new ServerSettings(settings);
        Map<String, String> boot = server.bootEnvironment();
        RealmCommands realm = realms.apply(key -> settings.apply(key).orElse(null));
        server.contextRoot();
        server.httpPort();
        server.jvmOptions();
        server.gridOptions();
        server.gridSystemProperties();
        new GatewayConfig(settings).validated();
        server.warnings().forEach(warning -> err.println(PREFIX + "warning: " + warning));
        settings.unknownFileKeys().forEach(key -> err.println(PREFIX + "warning: the settings file "
                + settings.file().map(SettingsFile::path).orElseThrow() + " names " + key
                + ", which is not a setting of the gateway"));
        settings.file().ifPresent(file -> warnIfSecretsReadable(file, err));
        return new Checked(settings, server, realm, boot);
    }

    private static void warnIfSecretsReadable(SettingsFile file, PrintStream err) {
        boolean holdsSecrets = file.entries().keySet().stream().anyMatch(key -> Secrets.KEYS.stream()
                .anyMatch(secret -> key.equals(secret) || key.equals(EnvironmentName.of(secret))));
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file.path());
            if (holdsSecrets && (permissions.contains(PosixFilePermission.OTHERS_READ)
                    || permissions.contains(PosixFilePermission.GROUP_READ))) {
                err.println(PREFIX + "warning: " + file.path() + " holds passwords and others can read it"
                        + " (chmod 600 " + file.path() + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions to check on this file system
        }
    }

    private static Path home() {
        try {
            Path location = Path.of(StartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Checked(LaunchSettings settings, ServerSettings server, RealmCommands realm,
                           Map<String, String> bootEnvironment) {
        /** Where the server will listen, for the administrator; no secrets. */
        String summary() {
            String root = server.contextRoot().equals("/") ? "/" : server.contextRoot() + "/";
            String http = "http://" + server.bindAddress() + ":" + server.httpPort() + root;
            if (!server.httpsEnabled()) {
                return http;
            }
            String https = "https://" + server.bindAddress() + ":" + server.httpsPort() + root;
            return https + (server.redirectToHttps() ? " (" + http + " redirects to it)" : " and " + http);
        }
    }
}
