package org.ohifgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool the way an
 * administrator would: a PKCS12 keystore, a trust store holding only the certificate, and an
 * SSLContext that trusts only it.
 */
final class TestCertificate {

    static final String ALIAS = "gateway";

    private final Path keystore;
    private final String password;

    private TestCertificate(Path keystore, String password) {
        this.keystore = keystore;
        this.password = password;
    }

    static TestCertificate create(Path dir, String name, String password) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keystore = dir.resolve(name + ".p12");
        Files.deleteIfExists(keystore);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        return new TestCertificate(keystore, password);
    }

    Path keystore() {
        return keystore;
    }

    String password() {
        return password;
    }

    /** A trust store (PKCS12, same password) holding only the certificate, as a CA would hand it out. */
    Path trustStore() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, load().getCertificate(ALIAS));
        Path file = keystore.resolveSibling(keystore.getFileName().toString().replace(".p12", "-trust.p12"));
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, password.toCharArray());
        }
        return file;
    }

    /** A client context that trusts this certificate and nothing else. */
    SSLContext trustingClient() throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

}
