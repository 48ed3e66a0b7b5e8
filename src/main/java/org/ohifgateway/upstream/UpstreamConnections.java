package org.ohifgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;

import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.pool.PoolStats;
import org.apache.http.ssl.SSLContexts;

/**
 * The connection pools to Orthanc, one per route: sized by configuration, TLS checked against the
 * configured trust store (or the JVM's), and listed for the health check.
 */
public final class UpstreamConnections {

    /** Where a trust store for an HTTPS Orthanc comes from. */
    public record TrustStore(Path file, char[] password, String type) {
    }

    private static final Map<String, PoolingHttpClientConnectionManager> POOLS = new ConcurrentHashMap<>();

    private UpstreamConnections() {
    }

    static PoolingHttpClientConnectionManager open(String route, int maxConnections, SocketConfig socketConfig,
                                                   Optional<TrustStore> trustStore) {
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(RegistryBuilder
                .<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new SSLConnectionSocketFactory(sslContext(trustStore)))
                .build());
        pool.setMaxTotal(maxConnections);
        pool.setDefaultMaxPerRoute(maxConnections);
        pool.setDefaultSocketConfig(socketConfig);
        POOLS.put(route, pool);
        return pool;
    }

    static void closed(String route) {
        POOLS.remove(route);
    }

    /** Leased, idle and waiting connections of each route's pool. */
    public static Map<String, PoolStats> statistics() {
        Map<String, PoolStats> statistics = new TreeMap<>();
        POOLS.forEach((route, pool) -> statistics.put(route, pool.getTotalStats()));
        return statistics;
    }

    static Optional<PoolingHttpClientConnectionManager> anyPool() {
        return POOLS.values().stream().findFirst();
    }

    static SSLContext sslContext(Optional<TrustStore> trustStore) {
        try {
            if (trustStore.isEmpty()) {
                return SSLContexts.createSystemDefault();
            }
            KeyStore store = KeyStore.getInstance(trustStore.get().type());
            try (InputStream in = Files.newInputStream(trustStore.get().file())) {
                store.load(in, trustStore.get().password());
            }
            return SSLContexts.custom().loadTrustMaterial(store, null).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the trust store for Orthanc ("
                    + trustStore.map(TrustStore::file).map(Path::toString).orElse("JVM default") + "): " + e.getMessage(), e);
        }
    }
}
