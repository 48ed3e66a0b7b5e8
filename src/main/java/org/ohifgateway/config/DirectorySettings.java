package org.ohifgateway.config;

import java.util.List;
import java.util.Optional;

/**
 * The directory behind the server's LDAP realm (gateway.realm=ldap), as the gateway itself asks
 * it: whether it answers, and which entry a login name stands for. The same settings as the
 * realm's, so the gateway finds the entry the realm found.
 *
 * @param urls                 ldap:// or ldaps:// URLs, tried in order
 * @param bindDn               the account that searches, else anonymous
 * @param bindPassword         its password
 * @param userBase             where users are searched
 * @param userFilter           the filter finding a user, with %s for the name typed
 * @param connectTimeoutMillis longest wait for a connection
 * @param readTimeoutMillis    longest wait for an answer
 */
public record DirectorySettings(List<String> urls, Optional<String> bindDn, Optional<String> bindPassword,
                                String userBase, String userFilter, int connectTimeoutMillis, int readTimeoutMillis) {

    /** Defaults the server's realm and the gateway share, so both find the same entry in the same time. */
    public static final String DEFAULT_USER_FILTER = "(uid=%s)";
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 3_000;
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 5_000;

    @Override
    public String toString() {
        return "DirectorySettings[" + urls + ", " + bindDn.orElse("anonymous") + ", " + userBase + ", " + userFilter + "]";
    }
}
