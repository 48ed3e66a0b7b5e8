package org.ohifgateway.security;

import java.nio.file.Path;

/**
 * The application server's realm that holds the gateway's users (web.xml's realm-name), as far as
 * the gateway asks anything of it: which users file it reads, and to read that file again. This is
 * the one place that knows the server; on a server without such a realm both say why not.
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
}
