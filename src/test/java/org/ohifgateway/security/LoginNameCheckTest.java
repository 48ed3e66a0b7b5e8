package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.login.FailedLoginException;

import org.junit.jupiter.api.Test;

class LoginNameCheckTest {

    /** Shaped like the server's PasswordCredential. */
    public static final class Credential {
        private final String user;

        Credential(String user) {
            this.user = user;
        }

        public String getUser() {
            return user;
        }
    }

    private static LoginNameCheck checking(Object... credentials) {
        Subject subject = new Subject();
        for (Object credential : credentials) {
            subject.getPrivateCredentials().add(credential);
        }
        LoginNameCheck check = new LoginNameCheck();
        check.initialize(subject, null, Map.of(), Map.of());
        return check;
    }

    @Test
    void namesTheRealmWouldLoopOnAreRefusedOthersPassToIt() throws Exception {
        assertThrows(FailedLoginException.class, () -> checking(new Credential("a%sb")).login());
        assertThrows(FailedLoginException.class, () -> checking(new Credential("%d")).login());
        assertFalse(checking(new Credential("alice")).login(), "ignored: the realm's module decides");
        assertFalse(checking(new Credential("100% sure")).login(), "a lone % is harmless");
        assertFalse(checking("not a credential", new Credential("alice@hospital.example")).login());
    }
}
