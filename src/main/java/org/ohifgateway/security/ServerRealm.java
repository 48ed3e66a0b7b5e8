package org.ohifgateway.security;

import java.nio.file.Path;
import java.util.Set;

import javax.security.auth.Subject;

/**
 * The application server's realm that holds the gateway's users (web.xml's realm-name), as far as
 * the gateway asks anything of it: which users file it reads, to read that file again, and which
 * groups it gave a user whose password it checked. This is
 * the one place that knows the server; on a server without such a realm each says why not.
 */
public interface ServerRealm {

    /** A realm request this server cannot carry out; the message is one sentence for the log. */
    class RealmException extends Exception {

        public RealmException(String message) {
            super(message);
        }
    }

    /** The file the realm reads its users from. */
    Path usersFile() throws RealmException;

    /** Makes the realm read its users file again; the users read before stay if it cannot. */
    void reload() throws RealmException;

    /**
     * The groups among the principals the server put into a subject whose password it checked
     * for a Jakarta Authentication module (a {@code PasswordValidationCallback}).
     */
    Set<String> groupsOf(Subject checked) throws RealmException;
}
