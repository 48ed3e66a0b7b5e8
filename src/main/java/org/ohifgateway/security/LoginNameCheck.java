package org.ohifgateway.security;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.spi.LoginModule;

/**
 * A JAAS login module the server runs before its LDAP realm's own (tools.start.RealmCommands
 * names both for the realm): it refuses a user name holding "%s" or "%d". Payara's LDAPRealm
 * puts the name into its filters by replacing those placeholders again and again from the start,
 * so such a name never ends: the request hangs for ever and burns a processor (measured with
 * Payara Micro 6.2025.10), before any filter of the gateway runs. Other names pass to the realm.
 *
 * <p>The server hands the name over as a private credential of the subject (its own
 * PasswordCredential, read here through its getUser method); the server loads this class
 * through the web application's class loader, so it lives in the WAR.
 */
public class LoginNameCheck implements LoginModule {

    private Subject subject;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
    }

    /** Fails for a name the realm cannot take; otherwise asks to be ignored. */
    @Override
    public boolean login() throws FailedLoginException {
        for (Object credential : subject.getPrivateCredentials()) {
            if (userOf(credential) instanceof String name && !takenByTheRealm(name)) {
                throw new FailedLoginException("a user name with %s or %d");
            }
        }
        return false;
    }

    static boolean takenByTheRealm(String name) {
        return !name.contains("%s") && !name.contains("%d");
    }

    private static Object userOf(Object credential) {
        try {
            return credential.getClass().getMethod("getUser").invoke(credential);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    @Override
    public boolean commit() {
        return false;
    }

    @Override
    public boolean abort() {
        return false;
    }

    @Override
    public boolean logout() {
        return false;
    }
}
