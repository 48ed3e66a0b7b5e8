package org.ohifgateway.tools.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void matchesPayarasSsha256Layout() throws Exception {
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("correct horse battery".getBytes(StandardCharsets.UTF_8));
        sha.update(salt);
        byte[] digest = sha.digest();
        for (int i = 0; i < 99; i++) {
            digest = sha.digest(digest);
        }
        byte[] stored = Arrays.copyOf(digest, 40);
        System.arraycopy(salt, 0, stored, 32, 8);
        assertEquals("{SSHA256}" + Base64.getEncoder().encodeToString(stored),
                PasswordHash.hash("correct horse battery".toCharArray(), salt));
    }

    @Test
    void verifiesOnlyTheRightPasswordAndSaltsEachHash() {
        String first = PasswordHash.hash("correct horse battery".toCharArray());
        String second = PasswordHash.hash("correct horse battery".toCharArray());
        assertNotEquals(first, second);
        assertTrue(PasswordHash.matches("correct horse battery".toCharArray(), first));
        assertTrue(PasswordHash.matches("correct horse battery".toCharArray(), second));
        assertFalse(PasswordHash.matches("correct horse batterY".toCharArray(), first));
        assertFalse(PasswordHash.matches("correct horse battery".toCharArray(), "{SSHA}" + first.substring(9)));
    }
}
