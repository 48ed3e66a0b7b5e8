package org.ohifgateway.security;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.Subject;

import jakarta.enterprise.context.ApplicationScoped;

import org.ohifgateway.http.Roles;

/**
 * Payara's file realm, reached the way its own {@code create-file-user} command reaches it:
 * {@code Realm.getInstance(name).refresh()} builds a new realm from the keyfile and puts it in
 * the server's registry, so each later login is checked against the file as it is now; if the
 * file cannot be read the old realm stays. The groups of a checked login are Payara's group
 * principals, with either realm (file or directory). Called by name (reflection) because the classes exist
 * only inside Payara: on any other server the answer is a {@link RealmException}, not a failed
 * deployment.
 */
@ApplicationScoped
public class PayaraFileRealm implements ServerRealm {

    private static final String REALMS = "com.sun.enterprise.security.auth.realm.Realm";
    private static final String FILE_REALM = "com.sun.enterprise.security.auth.realm.file.FileRealm";
    /** Payara's principal for a group; the caller's own is its superclass. */
    private static final String GROUP = "org.glassfish.security.common.Group";
    /** The realm property naming its keyfile (create-auth-realm's {@code file=}). */
    private static final String FILE_PROPERTY = "file";

    @Override
    public Path usersFile() throws RealmException {
        Object realm = realm();
        if (!realm.getClass().getName().equals(FILE_REALM)) {
            throw new RealmException("the realm " + Roles.REALM + " is a " + realm.getClass().getSimpleName()
                    + ", not a file realm: its users are managed where it reads them");
        }
        Object file = call(realm, "getProperty", FILE_PROPERTY);
        if (!(file instanceof String name) || name.isBlank()) {
            throw new RealmException("the file realm " + Roles.REALM + " names no file");
        }
        return Path.of(name);
    }

    @Override
    public void reload() throws RealmException {
        call(realm(), "refresh");
    }

    @Override
    public Set<String> groupsOf(Subject checked) throws RealmException {
        realm();
        return checked.getPrincipals().stream().filter(principal -> principal.getClass().getName().equals(GROUP))
                .map(Principal::getName).collect(Collectors.toUnmodifiableSet());
    }

    private static Object realm() throws RealmException {
        Class<?> realms;
        try {
            realms = Class.forName(REALMS, true, PayaraFileRealm.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError notPayara) {
            throw new RealmException("this server is not Payara (no " + REALMS
                    + "); its own realm decides when changes to users take effect");
        }
        try {
            return realms.getMethod("getInstance", String.class).invoke(null, Roles.REALM);
        } catch (InvocationTargetException e) {
            throw new RealmException("Payara has no realm " + Roles.REALM + ": " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new RealmException("Payara's realms cannot be reached: " + e);
        }
    }

    private static Object call(Object realm, String method, Object... arguments) throws RealmException {
        Class<?>[] types = Arrays.stream(arguments).map(Object::getClass).toArray(Class<?>[]::new);
        try {
            return realm.getClass().getMethod(method, types).invoke(realm, arguments);
        } catch (InvocationTargetException e) {
            throw new RealmException("the realm " + Roles.REALM + " refused " + method + ": " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new RealmException("the realm " + Roles.REALM + " has no usable " + method + ": " + e);
        }
    }
}
