package org.ohifgateway.security;

import java.util.Hashtable;
import java.util.Optional;

import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

import org.ohifgateway.config.DirectorySettings;

/**
 * The gateway's own questions to the directory behind the server's LDAP realm, asked the way the
 * realm asks (same URLs, account, base, filter and timeouts; ldaps:// trusts the server's trust
 * store): whether it answers, and which entry a login name stands for.
 */
final class DirectoryClient {

    private final DirectorySettings settings;

    DirectoryClient(DirectorySettings settings) {
        this.settings = settings;
    }

    /**
     * Binds as the search account (or anonymously) on a new connection and reads the user base's
     * entry, as every login does first.
     *
     * @throws NamingException why the directory cannot serve logins now
     */
    void check() throws NamingException {
        DirContext context = new InitialDirContext(environment(false));
        try {
            context.getAttributes(settings.userBase(), new String[] {"1.1"});
        } finally {
            context.close();
        }
    }

    /** The DN of the entry the realm takes for a login name (the first the user filter finds), if any. */
    Optional<String> entryOf(String loginName) throws NamingException {
        DirContext context = new InitialDirContext(environment(true));
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setReturningAttributes(new String[] {"1.1"});
            controls.setCountLimit(1);
            NamingEnumeration<SearchResult> found = context.search(settings.userBase(),
                    userFilter(settings.userFilter(), loginName), controls);
            try {
                return found.hasMore() ? Optional.of(found.next().getNameInNamespace()) : Optional.empty();
            } finally {
                found.close();
            }
        } finally {
            context.close();
        }
    }

    /**
     * The user filter for a name, with the escapes Payara's LDAPRealm writes (* ( ) \ and NUL as
     * RFC 4515 hex), so the gateway and the realm find the same entry.
     */
    static String userFilter(String template, String loginName) {
        StringBuilder escaped = new StringBuilder(loginName.length());
        for (char c : loginName.toCharArray()) {
            switch (c) {
                case '*' -> escaped.append("\\2a");
                case '(' -> escaped.append("\\28");
                case ')' -> escaped.append("\\29");
                case '\\' -> escaped.append("\\5c");
                case '\0' -> escaped.append("\\00");
                default -> escaped.append(c);
            }
        }
        return template.replace("%s", escaped);
    }

    private Hashtable<String, String> environment(boolean pooled) {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        environment.put(Context.PROVIDER_URL, String.join(" ", settings.urls()));
        environment.put("com.sun.jndi.ldap.connect.timeout", Integer.toString(settings.connectTimeoutMillis()));
        environment.put("com.sun.jndi.ldap.read.timeout", Integer.toString(settings.readTimeoutMillis()));
        // The check opens a connection of its own: a pooled one could be left from before an outage.
        environment.put("com.sun.jndi.ldap.connect.pool", Boolean.toString(pooled));
        settings.bindDn().ifPresentOrElse(dn -> {
            environment.put(Context.SECURITY_AUTHENTICATION, "simple");
            environment.put(Context.SECURITY_PRINCIPAL, dn);
            environment.put(Context.SECURITY_CREDENTIALS, settings.bindPassword().orElse(""));
        }, () -> environment.put(Context.SECURITY_AUTHENTICATION, "none"));
        return environment;
    }
}
