package org.ohifgateway.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.ohifgateway.tools.users.UsersCommand;

/**
 * What the gateway needs around it in the integration tests, started once per test run and
 * before any Payara Micro boots: a real Orthanc on the port Maven reserved (ORTHANC_URL) and the
 * users file (GATEWAY_USERS_FILE), written with the same tool administrators use.
 * {@link SharedGateway} starts it itself; classes that start their own server extend with it.
 */
public final class GatewayStack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    public static final String VIEWER = "radiologist";
    public static final String UPLOADER = "technologist";
    public static final String ADMIN = "pacsadmin";
    /** A user the realm knows but who holds none of the gateway's roles. */
    public static final String NO_ROLE = "visitor";
    /** A viewer whose password the lockout test guesses wrong. */
    public static final String LOCKOUT_VICTIM = "guessed";
    /** The monitoring system's user: the metrics and nothing else. */
    public static final String MONITOR = "scraper";

    private static OrthancProcess orthanc;
    private static final Map<String, String> PASSWORDS = new HashMap<>();
    /** Each user's groups as the users file holds them. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    /** A user of the realm: name, password and groups (= roles), for a server that keeps its users its own way. */
    record User(String name, String password, String groups) {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(context);
    }

    /** Starts Orthanc and writes the users file, once per test run. */
    static void start(ExtensionContext context) throws Exception {
        synchronized (GatewayStack.class) {
            if (orthanc != null) {
                return;
            }
            Path dir = Path.of(System.getProperty("it.dir"));
            deleteTree(dir);
            Files.createDirectories(dir);
            writeUsers(Path.of(System.getenv("GATEWAY_USERS_FILE")));
            int httpPort = Integer.parseInt(System.getenv("ORTHANC_URL").replaceAll(".*:", ""));
            orthanc = new OrthancProcess(dir.resolve("orthanc"), httpPort,
                    Integer.parseInt(System.getProperty("it.orthanc.dicom.port")));
            Files.createDirectories(dir.resolve("orthanc"));
            orthanc.start();
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(GatewayStack.class, new GatewayStack());
        }
    }

    @Override
    public void close() throws Exception {
        synchronized (GatewayStack.class) {
            orthanc.stop();
        }
    }

    public static OrthancProcess orthanc() {
        return orthanc;
    }

    /** Every user of the users file, with password and groups. */
    static List<User> users() {
        return GROUPS.entrySet().stream().map(user -> new User(user.getKey(), PASSWORDS.get(user.getKey()), user.getValue()))
                .toList();
    }

    public static String password(String user) {
        return PASSWORDS.get(user);
    }

    public static String authorization(String user) {
        return Http.basic(user, PASSWORDS.get(user));
    }

    private static void writeUsers(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createDirectories(file.getParent());
        addUser(file, VIEWER, "viewer");
        addUser(file, UPLOADER, "uploader");
        addUser(file, ADMIN, "admin");
        addUser(file, LOCKOUT_VICTIM, "viewer");
        addUser(file, MONITOR, "monitor");
        // The users tool only knows the gateway's roles; a role-less account is written as the
        // realm stores it, in the keyfile format, so its login succeeds but grants nothing.
        addUser(file, NO_ROLE, "viewer");
        String keyfile = Files.readString(file).replaceAll("(?m)^(" + NO_ROLE + ";[^;]*;).*$", "$1other");
        GROUPS.put(NO_ROLE, "other");
        Files.writeString(file, keyfile);
    }

    /** A fresh random password, long enough for the users tool. */
    public static String newPassword() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void addUser(Path file, String user, String roles) {
        String password = newPassword();
        PASSWORDS.put(user, password);
        GROUPS.put(user, roles);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = UsersCommand.run(new String[] {"--file", file.toString(), "add", user, roles},
                new BufferedReader(new StringReader(password + "\n")), null,
                new PrintStream(output), new PrintStream(output));
        if (exit != 0) {
            throw new IllegalStateException("users add " + user + " failed: " + output);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
