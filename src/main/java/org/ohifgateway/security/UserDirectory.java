package org.ohifgateway.security;

import java.util.Optional;

/**
 * The directory the server's realm checks logins against (gateway.realm=ldap), as the gateway
 * needs it besides the realm; with the file realm there is none, and it is always "reachable".
 */
public interface UserDirectory {

    /** Whether logins are checked against a directory, so far as the gateway can tell now. */
    boolean reachable();

    /**
     * The directory entry (its DN) a login name stands for, as the realm finds it: "Alice",
     * "alice" and "alice@hospital.example" may all be one. Empty without a directory, for a name
     * it does not know, and while it cannot be reached.
     */
    Optional<String> entryOf(String loginName);

    /** For the readiness check: "reachable", why not, or that there is no directory. */
    String state();
}
