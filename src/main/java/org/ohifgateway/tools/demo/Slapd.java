package org.ohifgateway.tools.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

/**
 * An OpenLDAP slapd (Debian package slapd) of its own, for the demo and the tests: a temporary
 * database loaded from LDIF, LDAPS only on a free loopback port, its certificate issued by an
 * authority made for it with openssl, password policy on (so an account can be disabled). Runs in
 * the foreground as a child of this JVM, so it can be stopped, frozen (SIGSTOP) and started again
 * on the same port, and goes when the JVM goes.
 */
public final class Slapd implements AutoCloseable {

    private final Path dir;
    private final int port;
    private volatile Process process;

    private Slapd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        // A JVM that ends without closing this (Ctrl-C, a test run's end) takes the server along.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "slapd-stop-on-exit"));
    }

    /**
     * Makes the authority and certificate, writes the configuration and loads the entries.
     *
     * @param dir    a directory that does not exist yet or holds no database, for all its files
     * @param suffix the directory's root, such as dc=hospital,dc=example
     * @param acl    slapd access lines
     * @param ldif   the entries, the root's first
     */
    public static Slapd create(Path dir, String suffix, String acl, String ldif) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("db"));
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Demo Hospital Authority");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ldap.key", "-out", "ldap.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "ldap.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "ldap.crt", "-days", "2", "-extfile", "san.cnf");
        Files.writeString(dir.resolve("slapd.conf"), String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "moduleload ppolicy",
                "pidfile " + dir.resolve("slapd.pid"),
                "TLSCACertificateFile " + dir.resolve("ca.crt"),
                "TLSCertificateFile " + dir.resolve("ldap.crt"),
                "TLSCertificateKeyFile " + dir.resolve("ldap.key"),
                "database mdb",
                "suffix \"" + suffix + "\"",
                "directory " + dir.resolve("db"),
                "overlay ppolicy",
                "ppolicy_default \"cn=default,ou=Policies," + suffix + "\"",
                "ppolicy_use_lockout",
                acl, ""));
        Files.writeString(dir.resolve("data.ldif"), ldif + "\ndn: ou=Policies," + suffix
                + "\nobjectClass: organizationalUnit\nou: Policies\n\ndn: cn=default,ou=Policies," + suffix
                + "\nobjectClass: pwdPolicy\nobjectClass: person\ncn: default\nsn: default\npwdAttribute: userPassword"
                + "\npwdLockout: TRUE\n");
        run(dir, "slapadd", "-f", "slapd.conf", "-l", "data.ldif");
        return new Slapd(dir, freeLoopbackPort());
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts slapd and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("slapd", "-f", dir.resolve("slapd.conf").toString(),
                "-h", url() + "/", "-d", "0").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("slapd.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("slapd exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("slapd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("slapd did not listen on " + port + " within 20 s");
    }

    /** Stops slapd (SIGTERM: it closes its connections) and waits for it. */
    public synchronized void stop() throws InterruptedException {
        Process running = process;
        if (running != null) {
            resume();
            process = null;
            running.destroy();
            if (!running.waitFor(20, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor();
            }
        }
    }

    /** Waits while slapd runs; true if it ended by itself rather than by {@link #stop()}. */
    public boolean awaitExit() throws InterruptedException {
        Process running = process;
        if (running == null) {
            return false;
        }
        running.waitFor();
        return process == running;
    }

    /** Freezes slapd (SIGSTOP): connections are accepted by the system, never answered. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void resume() throws InterruptedException {
        try {
            signal("-CONT");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            run(dir, "kill", signal, Long.toString(process.pid()));
        }
    }

    public String url() {
        return "ldaps://127.0.0.1:" + port;
    }

    /** A PKCS12 trust store holding this server's authority only, as a hospital's IT hands it out. */
    public Path trustStore(String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            store.setCertificateEntry("hospital-authority", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = dir.resolve("hospital-authority.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process tool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (tool.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
