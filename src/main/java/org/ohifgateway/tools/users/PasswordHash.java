package org.ohifgateway.tools.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Password hashes in the {@code {SSHA256}} form Payara's file realm checks: base64 of
 * (digest || 8-byte salt), where the digest is SHA-256 of (password || salt) hashed 99 more times.
 */
public final class PasswordHash {

    private static final String PREFIX = "{SSHA256}";
    private static final int SALT_BYTES = 8;
    private static final int EXTRA_ROUNDS = 99;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return hash(password, salt);
    }

    public static String hash(char[] password, byte[] salt) {
        byte[] digest = digest(password, salt);
        byte[] stored = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, stored, digest.length, salt.length);
        return PREFIX + Base64.getEncoder().encodeToString(stored);
    }

    public static boolean matches(char[] password, String stored) {
        if (!stored.startsWith(PREFIX)) {
            return false;
        }
        byte[] decoded = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        if (decoded.length <= SALT_BYTES) {
            return false;
        }
        byte[] salt = Arrays.copyOfRange(decoded, decoded.length - SALT_BYTES, decoded.length);
        byte[] expected = Arrays.copyOf(decoded, decoded.length - SALT_BYTES);
        return MessageDigest.isEqual(expected, digest(password, salt));
    }

    private static byte[] digest(char[] password, byte[] salt) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)));
            sha256.update(salt);
            byte[] digest = sha256.digest();
            for (int i = 0; i < EXTRA_ROUNDS; i++) {
                digest = sha256.digest(digest);
            }
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
