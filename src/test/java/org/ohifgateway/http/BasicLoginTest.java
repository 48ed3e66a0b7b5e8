package org.ohifgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BasicLoginTest {

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheNameIsTaken() {
        assertEquals(Optional.of("ann"), BasicLogin.userName(basic("ann:secret:with:colons")));
        assertEquals(Optional.of("ann"), BasicLogin.userName("basic " + basic("ann:x").substring(6)));
        assertEquals(Optional.empty(), BasicLogin.userName(basic(":secret")));
        assertEquals(Optional.empty(), BasicLogin.userName("Bearer abc"));
        assertEquals(Optional.empty(), BasicLogin.userName("Basic !!!"));
        assertEquals(Optional.empty(), BasicLogin.userName(null));
        assertEquals(128, BasicLogin.userName(basic("a".repeat(500) + ":x")).orElseThrow().length());
    }

    @Test
    void credentialsNeedANameAndTheColon() {
        assertEquals(Optional.of(new BasicLogin.Credentials("ann", "secret:with:colons")),
                BasicLogin.credentials(basic("ann:secret:with:colons")));
        assertEquals(Optional.of(new BasicLogin.Credentials("ann", "")), BasicLogin.credentials(basic("ann:")));
        assertEquals(Optional.of(new BasicLogin.Credentials("jürgen", "päss")), BasicLogin.credentials(basic("jürgen:päss")));
        assertEquals(Optional.empty(), BasicLogin.credentials(basic("ann")));
        assertEquals(Optional.empty(), BasicLogin.credentials(basic(":secret")));
        assertEquals(Optional.empty(), BasicLogin.credentials("Basic !!!"));
        assertEquals(Optional.empty(), BasicLogin.credentials(null));
        assertFalse(new BasicLogin.Credentials("ann", "secret").toString().contains("secret"), "the password is never printed");
    }
}
