package org.ohifgateway.it;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packaged WAR on ONE server at "/": Payara Micro, or WildFly when the system property
 * it.server is "wildfly" (pom.xml's second failsafe run of the shared classes). Shared by every test class that extends with
 * this (GatewayIT, DicomWebIT, LargeStudyIT, SecurityIT, ViewerBrowserIT): started before the
 * first of them, after {@link GatewayStack} (Orthanc and the users file, which the server reads
 * at boot), and stopped when the test run ends. Classes that need other boot settings or another
 * WAR (DeploymentIT, SubPathIT) start their own {@link PayaraMicro}.
 *
 * <p>What the classes share is one server's state: login counters, connection pools, the audit
 * file. So a test that changes the server's surroundings puts them back in a finally block
 * (GatewayIT stops Orthanc or puts a faulty upstream on its port), and lockout tests use a user
 * of their own ({@link GatewayStack#LOCKOUT_VICTIM}).
 */
public final class SharedGateway implements BeforeAllCallback {

    /** The server of this test run: "payara" (the default) or "wildfly". */
    public static final String SERVER = System.getProperty("it.server", "payara");

    private static ServerProcess server;
    private static Throwable bootFailure;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        GatewayStack.start(context);
        synchronized (SharedGateway.class) {
            if (bootFailure != null) {
                throw new IllegalStateException("the shared gateway did not start (see the first class's failure)",
                        bootFailure);
            }
            if (server == null) {
                try {
                    Path dir = Path.of(System.getProperty("it.dir"), "gateway");
                    server = SERVER.equals("wildfly") ? WildFly.startAndAwaitLogin(war(dir), dir, GatewayStack.users())
                            : PayaraMicro.startAndAwaitLogin(war(dir), "/", Map.of(), dir.resolve("payara.log"));
                } catch (Exception | AssertionError e) {
                    bootFailure = e;
                    throw e;
                }
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedGateway.class,
                        (ExtensionContext.Store.CloseableResource) SharedGateway::stop);
            } else if (!server.isAlive()) {
                throw new IllegalStateException("the shared gateway is no longer running; see " + server.log());
            }
        }
    }

    /**
     * The packaged WAR plus two files of types OHIF may load but the trimmed build does not ship
     * (GatewayIT checks their MIME types); nothing else changes.
     */
    private static Path war(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path war = dir.resolve("ohif-gateway.war");
        Files.copy(Path.of(System.getProperty("it.war")), war, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(war)) {
            Files.writeString(zip.getPath("probe.map"), "{}");
            Files.writeString(zip.getPath("probe.mjs"), "export {};");
        }
        return war;
    }

    private static synchronized void stop() throws InterruptedException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static synchronized ServerProcess running() {
        if (server == null) {
            throw new IllegalStateException("the shared gateway is not started: extend the test class with SharedGateway");
        }
        return server;
    }

    /** http://127.0.0.1:PORT: the gateway listens on loopback only. */
    public static String url() {
        return running().url();
    }

    /** The WildFly of this test run (it.server=wildfly). */
    static WildFly wildFly() {
        if (!(running() instanceof WildFly wildFly)) {
            throw new IllegalStateException("the shared gateway runs on " + SERVER + ", not WildFly");
        }
        return wildFly;
    }

    /** The server's health endpoint (/health beside the gateway on Payara, the management port on WildFly). */
    public static String healthUrl() {
        return running().healthUrl();
    }

    public static int port() {
        return running().httpPort();
    }

    /** The server's console output so far. */
    public static String logText() throws IOException {
        return running().logText();
    }

    /** The server's Java process, for reading its heap. */
    public static long pid() {
        return running().pid();
    }
}
