package org.ohifgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.BasicLogin.Credentials;

/**
 * Logins the server's realm accepted in the last {@code gateway.login.cache-seconds}, with the
 * groups it gave them, so that a viewer's hundreds of requests per study are not each checked
 * against the realm (the realm's check was a tenth of the gateway's CPU per proxied image).
 * Only on this gateway, never in the data grid: a login is found by an HMAC of user name and
 * password under a key made at start-up; the password is not kept. A login is kept from its check,
 * not from its last use, so a password or group changed in a directory counts after that time at
 * the latest; a new reading of the users file forgets every login at once.
 */
@ApplicationScoped
public class KeptLogins {

    /** Bounds the memory; past it, with none expired, the memory starts afresh. */
    static final int MAX_LOGINS = 10_000;

    private record Kept(String user, Set<String> groups, long untilMillis) {
    }

    @Inject
    GatewayConfig config;

    private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();
    /** Counts the times everything was forgotten, so that a check begun before cannot be kept after. */
    private final AtomicLong forgotten = new AtomicLong();
    private final LongAdder realmChecks = new LongAdder();
    private final LongAdder keptHits = new LongAdder();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private byte[] key;
    private long keepMillis;
    private LongSupplier millis;

    /** For the container. */
    public KeptLogins() {
    }

    KeptLogins(Duration keep, LongSupplier millis) {
        start(keep, millis);
    }

    @PostConstruct
    void start() {
        start(config.loginCacheTime(), () -> System.nanoTime() / 1_000_000);
    }

    private void start(Duration keep, LongSupplier clock) {
        keepMillis = keep.toMillis();
        millis = clock;
        key = new byte[32];
        new SecureRandom().nextBytes(key);
    }

    /** Whether logins are kept at all ({@code gateway.login.cache-seconds} is not 0). */
    public boolean enabled() {
        return keepMillis > 0;
    }

    /** The groups of a login accepted within the keeping time, if it was. */
    public Optional<Set<String>> groupsOf(Credentials login) {
        String hash = hash(login);
        Kept known = kept.get(hash);
        if (known == null || !known.user().equals(login.user())) {
            return Optional.empty();
        }
        if (millis.getAsLong() - known.untilMillis() >= 0) {
            kept.remove(hash, known);
            return Optional.empty();
        }
        keptHits.increment();
        return Optional.of(known.groups());
    }

    /** A mark to take before asking the realm, for {@link #keep}. */
    public long beforeCheck() {
        return forgotten.get();
    }

    /**
     * Keeps a login the realm accepted, unless everything was forgotten since {@code mark}: the
     * realm may have checked it against users since changed.
     */
    public void keep(long mark, Credentials login, Set<String> groups) {
        realmChecks.increment();
        if (!enabled() || forgotten.get() != mark) {
            return;
        }
        long now = millis.getAsLong();
        if (kept.size() >= MAX_LOGINS) {
            kept.values().removeIf(old -> now - old.untilMillis() >= 0);
            if (kept.size() >= MAX_LOGINS) {
                // Spellings of one directory name (JSmith, jsmith) are logins of their own: a
                // user could fill the memory, but not keep it full.
                kept.clear();
            }
        }
        String hash = hash(login);
        kept.put(hash, new Kept(login.user(), Set.copyOf(groups), now + keepMillis));
        if (forgotten.get() != mark) {
            // Forgotten while being kept: the forgetting may have cleared before this put.
            kept.remove(hash);
        }
    }

    /** Logins the realm accepted (each offered to {@link #keep}). */
    public long realmChecks() {
        return realmChecks.sum();
    }

    /** Logins found kept, so not checked by the realm. */
    public long keptHits() {
        return keptHits.sum();
    }

    /** Logins kept now; for tests. */
    int size() {
        return kept.size();
    }

    void forget(@Observes UsersReloaded reloaded) {
        forgotten.incrementAndGet();
        kept.clear();
    }

    private String hash(Credentials login) {
        Mac mac = macs.get();
        byte[] user = login.user().getBytes(StandardCharsets.UTF_8);
        // The name's length first, so that no other name and password run together the same.
        mac.update(new byte[] {(byte) (user.length >>> 24), (byte) (user.length >>> 16), (byte) (user.length >>> 8), (byte) user.length});
        mac.update(user);
        return Base64.getEncoder().encodeToString(mac.doFinal(login.password().getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
