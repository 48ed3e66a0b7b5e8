package org.ohifgateway.tools.start;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.naming.InvalidNameException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.ohifgateway.config.DirectorySettings;
import org.ohifgateway.config.SettingValues;
import org.ohifgateway.http.Roles;

/**
 * The application server's side of the gateway's logins: from the settings, the post-boot command
 * that creates the container realm web.xml's login-config names ({@link Roles#REALM}), and the
 * system properties the server needs for it. Every setting is checked here, so that a mistake
 * stops the start with one line naming it rather than leaving a server that refuses every login.
 *
 * <p>{@code gateway.realm=file} (the default): Payara's file realm over {@code gateway.users-file}.
 * {@code gateway.realm=ldap}: Payara's LDAPRealm. It finds the user with {@code
 * gateway.ldap.user-filter} under {@code gateway.ldap.user-base} (as {@code gateway.ldap.bind-dn},
 * or anonymously), binds as the user with the password typed, and takes as the user's groups
 * those of the groups in {@code gateway.roles.*} the user is a member of ({@code
 * gateway.ldap.group-filter} under {@code gateway.ldap.group-base}). The realm names a group by
 * the value of its first RDN (cn), and maps those names to the roles; the search is limited to
 * the exact DNs configured, so no other group, whatever its name, ever gives a role.
 *
 * <p>The LDAP realm runs under a JAAS configuration of the gateway's ({@link #loginConfiguration()}):
 * the server's own LDAP login module, after one that refuses the user names Payara's realm would
 * loop on for ever ("%s", "%d"; org.ohifgateway.security.LoginNameCheck, in the WAR).
 *
 * <p>On WildFly ({@link #forWildFly}) the same checked settings become jboss-cli operations for
 * Elytron's LDAP realm ({@link #wildFlyCommands()}); the file realm is WildFly's own there.
 *
 * <p>The command holds the bind password: write it to a file only its owner can read. The system
 * properties hold the trust store's password: pass them with Payara Micro's
 * {@code --systemproperties FILE} rather than on the command line.
 */
public final class RealmCommands {

    /** The JAAS entry of the LDAP realm, in {@link #loginConfiguration()}. */
    static final String LDAP_LOGIN = "ohifGatewayLdap";
    /** The WAR's login module that keeps names the realm cannot take from it. */
    static final String NAME_CHECK = "org.ohifgateway.security.LoginNameCheck";

    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+");
    private static final int MAX_TIMEOUT_MS = 600_000;

    private final Function<String, String> settings;
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> wildFlyCommands = new ArrayList<>();
    private final boolean ldap;
    private final String command;

    private RealmCommands(Function<String, String> settings, boolean payara) {
        this.settings = settings;
        String realm = text("gateway.realm").orElse("file");
        ldap = realm.equals("ldap");
        command = switch (realm) {
            case "file" -> payara ? fileRealm() : "";
            case "ldap" -> ldapRealm(payara);
            default -> throw SettingValues.invalid("gateway.realm", "must be file or ldap, got: " + realm);
        };
    }

    /**
     * Checks the settings and renders the commands.
     *
     * @param settings a setting's value by its key (gateway.ldap.url), or null when it is not set
     * @throws IllegalArgumentException naming the first setting that cannot be used, in one line
     */
    public static RealmCommands from(Function<String, String> settings) {
        return new RealmCommands(settings, true);
    }

    /**
     * The same checks for WildFly, where the file realm is WildFly's own properties realm
     * (deploy/wildfly/ohif-gateway.cli), so the users file is not needed.
     */
    static RealmCommands forWildFly(Function<String, String> settings) {
        return new RealmCommands(settings, false);
    }

    /**
     * jboss-cli operations (for a batch, after deploy/wildfly/ohif-gateway.cli) that put the LDAP
     * realm in place of the properties realm: Elytron's dir-context and ldap-realm with the same
     * user search, bind and group search as Payara's realm, the groups mapped to the roles by a
     * mapped-role-mapper, and the trust store and directory pool as system properties, as on
     * Payara. Empty for the file realm. They hold the bind password.
     */
    List<String> wildFlyCommands() {
        return Collections.unmodifiableList(wildFlyCommands);
    }

    /** The post-boot commands that create the realm, one per line. */
    public List<String> postBootCommands() {
        return List.of(command);
    }

    /** Whether logins are checked against a directory (gateway.realm=ldap) rather than the users file. */
    public boolean directory() {
        return ldap;
    }

    /**
     * The JAAS configuration the LDAP realm runs under, for a file the server reads instead of its
     * own: the server's entries for its file and LDAP realms, and the gateway's. Empty for the
     * file realm, which needs none.
     */
    public Optional<String> loginConfiguration() {
        if (!ldap) {
            return Optional.empty();
        }
        return Optional.of(String.join("\n",
                "fileRealm {",
                "    com.sun.enterprise.security.auth.login.FileLoginModule required;",
                "};",
                "ldapRealm {",
                "    com.sun.enterprise.security.auth.login.LDAPLoginModule required;",
                "};",
                LDAP_LOGIN + " {",
                "    " + NAME_CHECK + " requisite;",
                "    com.sun.enterprise.security.auth.login.LDAPLoginModule required;",
                "};", ""));
    }

    /**
     * System properties the server needs for the realm: the trust store for ldaps://, the
     * directory pool's idle timeout, and the file holding {@link #loginConfiguration()}.
     *
     * @param loginConfigurationFile where the caller writes {@link #loginConfiguration()}, if present
     */
    public Map<String, String> systemProperties(Path loginConfigurationFile) {
        Map<String, String> properties = new LinkedHashMap<>(systemProperties);
        if (ldap) {
            properties.put("java.security.auth.login.config", loginConfigurationFile.toAbsolutePath().toString());
        }
        return Collections.unmodifiableMap(properties);
    }

    /** The file realm on the users file, which must exist: else nobody could log in. */
    private String fileRealm() {
        Path file = Path.of(text("gateway.users-file").orElseThrow(() -> SettingValues.invalid("gateway.users-file",
                "is not set: name the users file (java -jar ohif-gateway-tools.jar users --file FILE add NAME ROLES)")));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw SettingValues.invalid("gateway.users-file", "names " + file + ", which is not a readable file (create it with"
                    + " java -jar ohif-gateway-tools.jar users --file " + file + " add NAME ROLES)");
        }
        RealmProperties properties = new RealmProperties()
                .add("file", file.toAbsolutePath().toString(), "gateway.users-file")
                .add("jaas-context", "fileRealm", "gateway.realm");
        return createAuthRealm("com.sun.enterprise.security.auth.realm.file.FileRealm", properties);
    }

    /** The LDAP realm: Payara's command if asked for, and WildFly's operations (whose values have no Payara limits). */
    private String ldapRealm(boolean payara) {
        if (bool("gateway.ldap.start-tls", false)) {
            throw SettingValues.invalid("gateway.ldap.start-tls", "cannot be true: Payara's LDAP realm does not use StartTLS;"
                    + " use ldaps:// directory URLs instead");
        }
        String urls = directoryUrls();
        LdapName userBase = dn("gateway.ldap.user-base", text("gateway.ldap.user-base").orElseThrow(() ->
                SettingValues.invalid("gateway.ldap.user-base", "is not set: name the entry below which users are found,"
                        + " such as OU=Staff,DC=hospital,DC=example")));
        String userFilter = filter("gateway.ldap.user-filter", DirectorySettings.DEFAULT_USER_FILTER, "%s");
        LdapName groupBase = text("gateway.ldap.group-base").map(base -> dn("gateway.ldap.group-base", base))
                .orElse(userBase);
        RoleGroups groups = roleGroups(groupBase);

        RealmProperties properties = new RealmProperties()
                .add("jaas-context", LDAP_LOGIN, "gateway.realm")
                .add("base-dn", asciiDn(userBase), "gateway.ldap.user-base")
                .add("search-filter", userFilter, "gateway.ldap.user-filter")
                .add("group-base-dn", asciiDn(groupBase), "gateway.ldap.group-base")
                .add("group-search-filter", groups.searchFilter(groupFilter(), groupDnAttribute()), "gateway.ldap.group-filter")
                .add("group-target", groups.nameAttribute(), "gateway.roles.viewer");
        groups.mapping().ifPresent(mapping -> properties.add("group-mapping", mapping, groups.settingWithSpaces()));
        // The realm also reads groups from an attribute of the user's entry (isMemberOf) and names
        // them by their cn, whatever their DN: asking for no attribute ("1.1", RFC 4511) turns that
        // off, and the user filter keeps its search as cheap as the user search.
        properties.add("dynamic-group-search-filter", userFilter, "gateway.ldap.user-filter")
                .add("dynamic-group-target", "1.1", "gateway.realm");
        bindAccount(properties);
        int connectTimeout = timeout("gateway.ldap.connect-timeout-ms", DirectorySettings.DEFAULT_CONNECT_TIMEOUT_MILLIS);
        int readTimeout = timeout("gateway.ldap.read-timeout-ms", DirectorySettings.DEFAULT_READ_TIMEOUT_MILLIS);
        String poolSize = Integer.toString(positive("gateway.ldap.pool-size", 10));
        properties.add("com.sun.jndi.ldap.connect.timeout", Integer.toString(connectTimeout), "gateway.ldap.connect-timeout-ms")
                .add("com.sun.jndi.ldap.read.timeout", Integer.toString(readTimeout), "gateway.ldap.read-timeout-ms")
                .add("com.sun.jndi.ldap.connect.pool.maxsize", poolSize, "gateway.ldap.pool-size")
                .add("directory", urls, "gateway.ldap.url");
        trustStore();
        // Idle pooled connections are closed before a firewall drops them silently (system-wide JNDI setting).
        systemProperties.put("com.sun.jndi.ldap.connect.pool.timeout", "300000");
        String command = payara ? createAuthRealm("com.sun.enterprise.security.auth.realm.ldap.LDAPRealm", properties) : "";

        // WildFly: Elytron passes the name ({0}) and the user's DN ({1}) to the directory as
        // filter arguments, escaped, where Payara's realm writes %s and %d into the filter.
        String directory = "ohif-gateway-directory";
        StringBuilder context = new StringBuilder("/subsystem=elytron/dir-context=" + directory + ":add(url=" + cli(urls)
                + ", connection-timeout=" + connectTimeout + ", read-timeout=" + readTimeout
                + ", enable-connection-pooling=true, referral-mode=ignore");
        text("gateway.ldap.bind-dn").ifPresentOrElse(dn -> context.append(", principal=").append(cli(properties.value("search-bind-dn")))
                .append(", credential-reference={clear-text=").append(cli(properties.value("search-bind-password"))).append('}'),
                () -> context.append(", authentication-level=none"));
        wildFlyCommands.add(context.append(')').toString());
        wildFlyCommands.add("/subsystem=elytron/ldap-realm=" + directory + ":add(dir-context=" + directory
                + ", direct-verification=true, identity-mapping={rdn-identifier=" + nameAttribute(userFilter)
                + ", search-base-dn=" + cli(asciiDn(userBase)) + ", use-recursive-search=true, filter-name="
                + cli(userFilter.replace("%s", "{0}")) + ", attribute-mapping=[{filter-base-dn=" + cli(asciiDn(groupBase))
                + ", filter=" + cli(groups.searchFilter(groupFilter(), groupDnAttribute()).replace("%d", "{1}").replace("%s", "{0}"))
                + ", from=" + groups.nameAttribute() + ", to=groups, search-recursive=true}]})");
        List<String> roleMap = new ArrayList<>();
        groups.rolesByName().forEach((name, roles) -> roleMap.add(cli(name) + "=[" + String.join(",", roles) + "]"));
        // Only the mapped groups give roles, whatever WildFly's defaults.
        wildFlyCommands.add("/subsystem=elytron/mapped-role-mapper=" + directory + ":add(role-map={"
                + String.join(", ", roleMap) + "}, keep-mapped=false, keep-non-mapped=false)");
        String domain = "/subsystem=elytron/security-domain=" + Roles.REALM + ":write-attribute(name=";
        wildFlyCommands.add(domain + "realms, value=[{realm=" + directory + ", role-decoder=groups-to-roles}])");
        wildFlyCommands.add(domain + "default-realm, value=" + directory + ")");
        wildFlyCommands.add(domain + "role-mapper, value=" + directory + ")");
        Map<String, String> jvm = new LinkedHashMap<>(systemProperties);
        jvm.put("com.sun.jndi.ldap.connect.pool.maxsize", poolSize);
        jvm.forEach((name, value) -> wildFlyCommands.add("/system-property=" + name + ":add(value=" + cli(value) + ")"));
        return command;
    }

    /** The attribute the user filter matches the name typed against, for Elytron's rdn-identifier. */
    private static String nameAttribute(String userFilter) {
        Matcher matcher = Pattern.compile("\\(([A-Za-z][A-Za-z0-9-]*)=%s\\)").matcher(userFilter);
        return matcher.find() ? matcher.group(1) : "uid";
    }

    /**
     * A value in jboss-cli's quotes: backslashes and quotes escaped, and in a value the server
     * would take for an expression (with "${") every "$" doubled, so it arrives as written.
     */
    static String cli(String value) {
        String literal = value.contains("${") ? value.replace("$", "$$") : value;
        return '"' + literal.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String createAuthRealm(String className, RealmProperties properties) {
        return "create-auth-realm --classname " + className + " --property " + properties.render() + " " + Roles.REALM;
    }

    /** One or more ldap:// or ldaps:// URLs, space-separated as JNDI takes them (tried in order). */
    private String directoryUrls() {
        String value = text("gateway.ldap.url").orElseThrow(() -> SettingValues.invalid("gateway.ldap.url",
                "is not set: name the directory, such as ldaps://dc1.hospital.example (several: space-separated)"));
        List<String> urls = new ArrayList<>();
        Set<String> schemes = new LinkedHashSet<>();
        for (String url : value.trim().split("\\s+")) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw SettingValues.invalid("gateway.ldap.url", "must list ldaps:// or ldap:// URLs, got: " + url);
            }
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
            if (!(scheme.equals("ldap") || scheme.equals("ldaps")) || uri.getHost() == null || !bare) {
                throw SettingValues.invalid("gateway.ldap.url", "must list ldaps:// or ldap:// URLs of host and port only"
                        + " (the search bases are settings of their own), got: " + url);
            }
            schemes.add(scheme);
            urls.add(scheme + "://" + uri.getRawAuthority());
        }
        if (schemes.size() > 1) {
            // The realm decides on TLS by the first URL and uses it for all.
            throw SettingValues.invalid("gateway.ldap.url", "mixes ldap:// and ldaps:// URLs: use ldaps:// for all");
        }
        return String.join(" ", urls);
    }

    /** The groups of gateway.roles.*, each a DN below the group base, with the role(s) they stand for. */
    private RoleGroups roleGroups(LdapName groupBase) {
        Map<LdapName, Set<String>> roles = new LinkedHashMap<>();
        Map<LdapName, String> settingOf = new LinkedHashMap<>();
        for (String role : Roles.GRANTABLE) {
            String key = "gateway.roles." + role;
            for (String group : text(key).map(value -> value.split(";")).orElse(new String[0])) {
                if (!group.isBlank()) {
                    LdapName dn = dn(key, group.trim());
                    if (!dn.startsWith(groupBase) || dn.equals(groupBase)) {
                        throw SettingValues.invalid(key, "names " + dn + ", which is not below " + groupBase
                                + " (gateway.ldap.group-base, else gateway.ldap.user-base), where the realm looks for groups");
                    }
                    settingOf.putIfAbsent(dn, key);
                    roles.computeIfAbsent(dn, k -> new LinkedHashSet<>()).add(role);
                }
            }
        }
        if (roles.isEmpty()) {
            throw SettingValues.invalid("gateway.roles.viewer", "(and gateway.roles.uploader, .admin, .monitor) names no"
                    + " directory group: list the groups whose members get each role, separated by ;");
        }
        return new RoleGroups(roles, settingOf);
    }

    /**
     * The groups that give roles, by DN (LdapName compares them as the directory does). The realm
     * knows a group by one attribute's value (group-target) and maps such names to roles
     * (group-mapping, whose syntax is {@code a,b->role;c->role}).
     */
    private record RoleGroups(Map<LdapName, Set<String>> roles, Map<LdapName, String> settingOf) {

        /** The type of the groups' first RDN, the attribute the realm names them by. */
        String nameAttribute() {
            String type = null;
            for (LdapName dn : roles.keySet()) {
                String own = first(dn).getType();
                if (type != null && !type.equalsIgnoreCase(own)) {
                    throw SettingValues.invalid(settingOf.get(dn), "names " + dn + ", whose first attribute is not " + type
                            + " like the other groups': the realm names all groups by one attribute");
                }
                type = own;
            }
            return type;
        }

        /** group-mapping, if a group is named otherwise than its role. */
        Optional<String> mapping() {
            Map<String, Set<String>> byName = rolesByName();
            List<String> entries = new ArrayList<>();
            for (String role : Roles.GRANTABLE) {
                List<String> names = byName.entrySet().stream()
                        .filter(group -> group.getValue().contains(role) && !group.getKey().equals(role))
                        .map(Map.Entry::getKey).toList();
                if (!names.isEmpty()) {
                    entries.add(String.join(",", names) + "->" + role);
                }
            }
            return entries.isEmpty() ? Optional.empty() : Optional.of(String.join(";", entries));
        }

        /** The roles of each group, by the name the realm knows it by; two groups of one name must give the same roles. */
        Map<String, Set<String>> rolesByName() {
            Map<String, LdapName> byName = new TreeMap<>();
            roles.forEach((dn, groupRoles) -> {
                String name = name(dn);
                LdapName other = byName.putIfAbsent(name, dn);
                if (other != null && !roles.get(other).equals(groupRoles)) {
                    throw SettingValues.invalid(settingOf.get(dn), "names " + dn + " and " + other + " for different roles, but"
                            + " the realm knows both as " + name);
                }
                for (String role : Roles.GRANTABLE) {
                    if (name.equals(role) && !groupRoles.contains(role)) {
                        // Payara takes a group's name as the role of that name.
                        throw SettingValues.invalid(settingOf.get(dn), "names " + dn + ", whose name is the role " + role);
                    }
                }
            });
            Map<String, Set<String>> rolesByName = new TreeMap<>();
            byName.forEach((name, dn) -> rolesByName.put(name, roles.get(dn)));
            return rolesByName;
        }

        /** The setting to name if the mapping's spaces collide with another value's. */
        String settingWithSpaces() {
            return roles.keySet().stream().filter(dn -> name(dn).contains(" ")).map(settingOf::get)
                    .findFirst().orElse("gateway.roles.viewer");
        }

        /** The membership filter, limited to exactly these groups (by their DN). */
        String searchFilter(String membership, String dnAttribute) {
            StringBuilder filter = new StringBuilder("(&").append(membership).append(roles.size() > 1 ? "(|" : "");
            roles.keySet().forEach(dn -> filter.append('(').append(dnAttribute).append('=').append(asciiDn(dn)).append(')'));
            return filter.append(roles.size() > 1 ? "))" : ")").toString();
        }

        private String name(LdapName dn) {
            Object value = first(dn).getValue();
            if (!(value instanceof String name) || name.isEmpty()) {
                throw SettingValues.invalid(settingOf.get(dn), "names " + dn + ", whose name is not text");
            }
            if (name.contains(",") || name.contains(";") || name.contains("->") || !name.equals(name.trim())) {
                throw SettingValues.invalid(settingOf.get(dn), "names the group " + name + ": the realm's group mapping cannot"
                        + " hold names with , ; -> or spaces at either end");
            }
            return name;
        }

        private static Rdn first(LdapName dn) {
            return dn.getRdn(dn.size() - 1);
        }
    }

    /** Membership of a group: %d is the user's DN, %s the name typed. */
    private String groupFilter() {
        String filter = filter("gateway.ldap.group-filter", "(|(member=%d)(uniqueMember=%d))", "%d");
        // The realm doubles every backslash in this filter before it searches, which undoes escapes.
        if (filter.contains("\\")) {
            throw SettingValues.invalid("gateway.ldap.group-filter", "may not contain spaces, backslashes or characters"
                    + " beyond ASCII: the realm doubles backslashes in this filter, which undoes their escapes");
        }
        return filter;
    }

    /** The attribute holding a group's own DN: entryDN (OpenLDAP, RFC 5020), distinguishedName (Active Directory). */
    private String groupDnAttribute() {
        String attribute = text("gateway.ldap.group-dn-attribute").orElse("entryDN");
        if (!ATTRIBUTE_NAME.matcher(attribute).matches()) {
            throw SettingValues.invalid("gateway.ldap.group-dn-attribute", "must be an attribute name such as entryDN or"
                    + " distinguishedName, got: " + attribute);
        }
        return attribute;
    }

    /**
     * An LDAP filter with its placeholder, in parentheses; spaces and characters beyond ASCII in
     * it are written as RFC 4515 escapes (\20), which Payara's boot command file carries.
     */
    private String filter(String key, String fallback, String placeholder) {
        String filter = text(key).orElse(fallback).trim();
        if (!filter.startsWith("(")) {
            filter = "(" + filter + ")";
        }
        if (!oneFilter(filter) || !filter.contains(placeholder) && !filter.contains("%s")) {
            throw SettingValues.invalid(key, "must be one LDAP filter in parentheses with " + placeholder + " for the user,"
                    + " such as " + fallback + ", got: " + filter);
        }
        return hexEscaped(filter, "()=*&|!<>~:;,.-_%\\");
    }

    /** Whether the text is one parenthesised filter (escaped characters skipped). */
    private static boolean oneFilter(String filter) {
        int depth = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0 || depth == 0 && i < filter.length() - 1) {
                return false;
            }
        }
        return depth == 0;
    }

    private void bindAccount(RealmProperties properties) {
        Optional<String> dn = text("gateway.ldap.bind-dn");
        Optional<String> password = text("gateway.ldap.bind-password");
        if (dn.isPresent() != password.isPresent()) {
            throw dn.isPresent() ? SettingValues.invalid("gateway.ldap.bind-password", "is not set, but gateway.ldap.bind-dn is")
                    : SettingValues.invalid("gateway.ldap.bind-dn", "is not set, but gateway.ldap.bind-password is");
        }
        if (dn.isPresent()) {
            // Active Directory also takes a user principal name (gateway@hospital.example) here.
            String account = dn.get().contains("=") ? asciiDn(dn("gateway.ldap.bind-dn", dn.get())) : dn.get();
            properties.add("search-bind-dn", account, "gateway.ldap.bind-dn")
                    .add("search-bind-password", password.get(), "gateway.ldap.bind-password");
        }
    }

    /** The authorities the directory's certificate is checked against, as the server's trust store. */
    private void trustStore() {
        Optional<String> file = text("gateway.ldap.trust-store");
        Optional<String> password = text("gateway.ldap.trust-store-password");
        if (file.isEmpty()) {
            password.ifPresent(given -> {
                throw SettingValues.invalid("gateway.ldap.trust-store-password", "is set, but gateway.ldap.trust-store is not");
            });
            return;
        }
        Path path = Path.of(file.get()).toAbsolutePath();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw SettingValues.invalid("gateway.ldap.trust-store", "names " + path + ", which is not a readable file");
        }
        try {
            KeyStore store = KeyStore.getInstance(path.toFile(), password.map(String::toCharArray).orElse(null));
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isCertificate(store, alias))) {
                throw SettingValues.invalid("gateway.ldap.trust-store", "names " + path + ", which holds no certificate");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw SettingValues.invalid(password.isPresent() ? "gateway.ldap.trust-store-password" : "gateway.ldap.trust-store",
                    "does not open " + path + " as a PKCS12 or JKS trust store (" + e.getMessage() + ")");
        }
        systemProperties.put("javax.net.ssl.trustStore", path.toString());
        password.ifPresent(given -> systemProperties.put("javax.net.ssl.trustStorePassword", given));
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.isCertificateEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static LdapName dn(String key, String value) {
        try {
            LdapName dn = new LdapName(value);
            if (dn.isEmpty()) {
                throw new InvalidNameException("empty");
            }
            return dn;
        } catch (InvalidNameException | IllegalArgumentException e) {
            throw SettingValues.invalid(key, "must be a distinguished name such as OU=Groups,DC=hospital,DC=example, got: " + value);
        }
    }

    /**
     * A DN with every character of its values beyond letters, digits and {@code .-_} written as
     * an RFC 4514 escape of its UTF-8 bytes: the same DN to the directory, and one that survives
     * the boot command file (no spaces) and filter syntax.
     */
    static String asciiDn(LdapName dn) {
        List<String> rdns = new ArrayList<>();
        for (int i = dn.size() - 1; i >= 0; i--) {
            List<String> pairs = new ArrayList<>();
            try {
                for (Attribute attribute : Collections.list(dn.getRdn(i).toAttributes().getAll())) {
                    Object value = attribute.get();
                    if (!(value instanceof String text)) {
                        throw new IllegalArgumentException(dn + " has a binary value");
                    }
                    pairs.add(attribute.getID() + "=" + hexEscaped(text, ".-_"));
                }
            } catch (NamingException e) {
                throw new IllegalArgumentException(e);
            }
            rdns.add(String.join("+", pairs));
        }
        return String.join(",", rdns);
    }

    /** Letters, digits and the allowed characters as they are; everything else as \xx per UTF-8 byte. */
    private static String hexEscaped(String text, String allowed) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint < 128 && (Character.isLetterOrDigit(codePoint) || allowed.indexOf(codePoint) >= 0)) {
                escaped.appendCodePoint(codePoint);
            } else {
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    escaped.append('\\').append(String.format("%02x", b & 0xff));
                }
            }
        }
        return escaped.toString();
    }

    private int timeout(String key, int fallback) {
        int millis = positive(key, fallback);
        if (millis > MAX_TIMEOUT_MS) {
            throw SettingValues.invalid(key, "must be at most " + MAX_TIMEOUT_MS + " ms: a login waits this long, got: " + millis);
        }
        return millis;
    }

    private int positive(String key, int fallback) {
        return SettingValues.positive(key, text(key).orElse(Integer.toString(fallback)));
    }

    private boolean bool(String key, boolean fallback) {
        return SettingValues.bool(key, text(key).orElse(Boolean.toString(fallback)));
    }

    private Optional<String> text(String key) {
        return Optional.ofNullable(settings.apply(key)).map(String::trim).filter(value -> !value.isEmpty());
    }
}
