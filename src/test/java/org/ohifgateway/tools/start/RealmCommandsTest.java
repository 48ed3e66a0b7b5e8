package org.ohifgateway.tools.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.naming.ldap.LdapName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealmCommandsTest {

    private static final String LDAP_REALM = "com.sun.enterprise.security.auth.realm.ldap.LDAPRealm";
    private static final String READERS = "CN=PACS-Readers,OU=Groups,DC=hospital,DC=example";
    private static final String UPLOADERS = "CN=PACS-Uploaders,OU=Groups,DC=hospital,DC=example";
    private static final String ADMINS = "CN=PACS-Admins,OU=Groups,DC=hospital,DC=example";

    @TempDir
    Path dir;

    private static Map<String, String> openLdap() {
        Map<String, String> settings = new HashMap<>();
        settings.put("gateway.realm", "ldap");
        settings.put("gateway.ldap.url", "ldaps://ldap.hospital.example");
        settings.put("gateway.ldap.user-base", "ou=people,dc=hospital,dc=example");
        settings.put("gateway.ldap.group-base", "ou=groups,dc=hospital,dc=example");
        settings.put("gateway.roles.viewer", READERS);
        settings.put("gateway.roles.uploader", UPLOADERS);
        settings.put("gateway.roles.admin", ADMINS);
        return settings;
    }

    private static RealmCommands commands(Map<String, String> settings) {
        return RealmCommands.from(settings::get);
    }

    private static Map<String, String> ldapProperties(Map<String, String> settings) {
        List<String> lines = commands(settings).postBootCommands();
        assertEquals(1, lines.size());
        return BootCommandLine.realmProperties(lines.get(0), LDAP_REALM);
    }

    private static String problem(Map<String, String> settings) {
        String message = assertThrows(IllegalArgumentException.class, () -> commands(settings)).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void theFileRealmIsTheDefaultAndReadsTheUsersFile() throws IOException {
        Path users = Files.writeString(dir.resolve("users file:a=b"), "");
        RealmCommands commands = commands(Map.of("gateway.users-file", users.toString()));
        assertEquals(List.of("create-auth-realm --classname com.sun.enterprise.security.auth.realm.file.FileRealm"
                + " --property jaas-context=fileRealm:file=\"" + users.toString().replace(":", "\\:").replace("=", "\\=")
                + "\" ohif-gateway"), commands.postBootCommands());
        assertEquals(Map.of("file", users.toString(), "jaas-context", "fileRealm"), BootCommandLine.realmProperties(
                commands.postBootCommands().get(0), "com.sun.enterprise.security.auth.realm.file.FileRealm"));
        assertEquals(Map.of(), commands.systemProperties(dir.resolve("login.conf")));
        assertEquals(Optional.empty(), commands.loginConfiguration(), "the server's own");
        assertTrue(problem(Map.of()).startsWith("gateway.users-file (GATEWAY_USERS_FILE) is not set"));
    }

    @Test
    void theUsersFileMustExist() {
        Path missing = dir.resolve("users-missing");
        assertTrue(problem(Map.of("gateway.users-file", missing.toString())).startsWith(
                "gateway.users-file (GATEWAY_USERS_FILE) names " + missing + ", which is not a readable file"));
    }

    @Test
    void openLdapDefaultsSearchUidAndMembersAndMapTheGroupsByTheirExactDn() {
        Map<String, String> properties = ldapProperties(openLdap());
        assertEquals("ldaps://ldap.hospital.example", properties.get("directory"));
        assertEquals("ohifGatewayLdap", properties.get("jaas-context"));
        assertEquals("ou=people,dc=hospital,dc=example", properties.get("base-dn"));
        assertEquals("(uid=%s)", properties.get("search-filter"));
        assertEquals("ou=groups,dc=hospital,dc=example", properties.get("group-base-dn"));
        assertEquals("(&(|(member=%d)(uniqueMember=%d))(|(entryDN=CN=PACS-Readers,OU=Groups,DC=hospital,DC=example)"
                + "(entryDN=CN=PACS-Uploaders,OU=Groups,DC=hospital,DC=example)"
                + "(entryDN=CN=PACS-Admins,OU=Groups,DC=hospital,DC=example)))", properties.get("group-search-filter"));
        assertEquals("CN", properties.get("group-target"));
        assertEquals("PACS-Readers->viewer;PACS-Uploaders->uploader;PACS-Admins->admin", properties.get("group-mapping"));
        assertEquals("1.1", properties.get("dynamic-group-target"), "no groups from the user's own entry");
        assertEquals("(uid=%s)", properties.get("dynamic-group-search-filter"));
        assertEquals("3000", properties.get("com.sun.jndi.ldap.connect.timeout"));
        assertEquals("5000", properties.get("com.sun.jndi.ldap.read.timeout"));
        assertEquals("10", properties.get("com.sun.jndi.ldap.connect.pool.maxsize"));
        assertFalse(properties.containsKey("search-bind-dn"), "anonymous search without a bind account");

        Map<String, String> oneBase = openLdap();
        oneBase.remove("gateway.ldap.group-base");
        oneBase.put("gateway.ldap.user-base", "dc=hospital,dc=example");
        assertEquals("dc=hospital,dc=example", ldapProperties(oneBase).get("group-base-dn"), "the user base by default");
    }

    @Test
    void onWildFlyTheSameSearchesBecomeAnElytronLdapRealmWithTheGroupsMappedToTheRoles() throws Exception {
        Map<String, String> settings = openLdap();
        settings.put("gateway.ldap.url", "ldaps://dc1.hospital.example:636 ldaps://dc2.hospital.example");
        settings.put("gateway.ldap.user-filter", "(&(objectClass=person)(sAMAccountName=%s))");
        settings.put("gateway.ldap.bind-dn", "CN=svc-pacs,OU=Service Accounts,DC=hospital,DC=example");
        settings.put("gateway.ldap.bind-password", "p4ss\\\"x'{1}${HOME}");
        settings.put("gateway.roles.viewer", READERS + "; CN=Radiology Residents,OU=Groups,DC=hospital,DC=example");
        settings.put("gateway.roles.admin", ADMINS + ";" + READERS);
        settings.put("gateway.ldap.read-timeout-ms", "2500");
        Path trustStore = dir.resolve("trust.p12");
        writeTrustStore(trustStore, "trust-pw");
        settings.put("gateway.ldap.trust-store", trustStore.toString());
        settings.put("gateway.ldap.trust-store-password", "trust-pw");
        List<String> operations = RealmCommands.forWildFly(settings::get).wildFlyCommands();
        assertEquals(List.of(
                "/subsystem=elytron/dir-context=ohif-gateway-directory:add(url=\"ldaps://dc1.hospital.example:636"
                        + " ldaps://dc2.hospital.example\", connection-timeout=3000, read-timeout=2500,"
                        + " enable-connection-pooling=true, referral-mode=ignore,"
                        + " principal=\"CN=svc-pacs,OU=Service\\\\20Accounts,DC=hospital,DC=example\","
                        + " credential-reference={clear-text=\"p4ss\\\\\\\"x'{1}$${HOME}\"})",
                "/subsystem=elytron/ldap-realm=ohif-gateway-directory:add(dir-context=ohif-gateway-directory,"
                        + " direct-verification=true, identity-mapping={rdn-identifier=sAMAccountName,"
                        + " search-base-dn=\"ou=people,dc=hospital,dc=example\", use-recursive-search=true,"
                        + " filter-name=\"(&(objectClass=person)(sAMAccountName={0}))\", attribute-mapping=[{"
                        + "filter-base-dn=\"ou=groups,dc=hospital,dc=example\", filter=\"(&(|(member={1})(uniqueMember={1}))(|"
                        + "(entryDN=CN=PACS-Readers,OU=Groups,DC=hospital,DC=example)"
                        + "(entryDN=CN=Radiology\\\\20Residents,OU=Groups,DC=hospital,DC=example)"
                        + "(entryDN=CN=PACS-Uploaders,OU=Groups,DC=hospital,DC=example)"
                        + "(entryDN=CN=PACS-Admins,OU=Groups,DC=hospital,DC=example)))\","
                        + " from=CN, to=groups, search-recursive=true}]})",
                "/subsystem=elytron/mapped-role-mapper=ohif-gateway-directory:add(role-map={\"PACS-Admins\"=[admin],"
                        + " \"PACS-Readers\"=[viewer,admin], \"PACS-Uploaders\"=[uploader], \"Radiology Residents\"=[viewer]},"
                        + " keep-mapped=false, keep-non-mapped=false)",
                "/subsystem=elytron/security-domain=ohif-gateway:write-attribute(name=realms,"
                        + " value=[{realm=ohif-gateway-directory, role-decoder=groups-to-roles}])",
                "/subsystem=elytron/security-domain=ohif-gateway:write-attribute(name=default-realm, value=ohif-gateway-directory)",
                "/subsystem=elytron/security-domain=ohif-gateway:write-attribute(name=role-mapper, value=ohif-gateway-directory)",
                "/system-property=javax.net.ssl.trustStore:add(value=\"" + trustStore.toAbsolutePath() + "\")",
                "/system-property=javax.net.ssl.trustStorePassword:add(value=\"trust-pw\")",
                "/system-property=com.sun.jndi.ldap.connect.pool.timeout:add(value=\"300000\")",
                "/system-property=com.sun.jndi.ldap.connect.pool.maxsize:add(value=\"10\")"), operations);

        settings.remove("gateway.ldap.bind-dn");
        settings.remove("gateway.ldap.bind-password");
        assertTrue(RealmCommands.forWildFly(settings::get).wildFlyCommands().get(0).endsWith(", authentication-level=none)"),
                "anonymous search");
        assertEquals(List.of(), RealmCommands.forWildFly(key -> null).wildFlyCommands(),
                "the file realm is WildFly's properties realm: no users file needed");
    }

    @Test
    void activeDirectoryWithSeveralControllersABindAccountAndNestedGroups() {
        Map<String, String> settings = openLdap();
        settings.put("gateway.ldap.url", "ldaps://dc1.hospital.example:636  LDAPS://dc2.hospital.example");
        settings.put("gateway.ldap.user-base", "OU=Staff,DC=hospital,DC=example");
        settings.put("gateway.ldap.user-filter", "(&(objectCategory=person)(sAMAccountName=%s)"
                + "(!(userAccountControl:1.2.840.113556.1.4.803:=2)))");
        settings.put("gateway.ldap.group-base", "OU=Groups,DC=hospital,DC=example");
        settings.put("gateway.ldap.group-filter", "(member:1.2.840.113556.1.4.1941:=%d)");
        settings.put("gateway.ldap.group-dn-attribute", "distinguishedName");
        settings.put("gateway.ldap.bind-dn", "CN=svc-pacs,OU=Service Accounts,DC=hospital,DC=example");
        settings.put("gateway.ldap.bind-password", "p4ss:w=rd\\\"x'{}${ENV=HOME}");
        settings.put("gateway.roles.viewer", READERS + "; CN=Radiology-Residents,OU=Groups,DC=hospital,DC=example");
        settings.put("gateway.ldap.read-timeout-ms", "2500");
        Map<String, String> properties = ldapProperties(settings);
        assertEquals("ldaps://dc1.hospital.example:636 ldaps://dc2.hospital.example", properties.get("directory"));
        assertEquals("(&(objectCategory=person)(sAMAccountName=%s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
                properties.get("search-filter"));
        assertTrue(properties.get("group-search-filter").startsWith("(&(member:1.2.840.113556.1.4.1941:=%d)(|"
                + "(distinguishedName=CN=PACS-Readers,OU=Groups,DC=hospital,DC=example)"), properties.get("group-search-filter"));
        assertEquals("CN=svc-pacs,OU=Service\\20Accounts,DC=hospital,DC=example", properties.get("search-bind-dn"),
                "the same DN, written without a space");
        assertEquals("p4ss:w=rd\\\"x'{}${ENV=HOME}", properties.get("search-bind-password"), "the password as it is");
        assertEquals("2500", properties.get("com.sun.jndi.ldap.read.timeout"));
        assertEquals("PACS-Readers,Radiology-Residents->viewer;PACS-Uploaders->uploader;PACS-Admins->admin",
                properties.get("group-mapping"));

        settings.put("gateway.ldap.bind-dn", "svc-pacs@hospital.example");
        assertEquals("svc-pacs@hospital.example", ldapProperties(settings).get("search-bind-dn"), "a user principal name");
    }

    @Test
    void valuesWithSpacesParenthesesCommasAndAccentsArriveAsTheSameNames() throws Exception {
        Map<String, String> settings = openLdap();
        settings.put("gateway.ldap.user-base", "OU=Radiologie Ärzte,DC=hospital,DC=example");
        settings.put("gateway.ldap.group-base", "DC=hospital,DC=example");
        settings.put("gateway.ldap.user-filter", "(&(uid=%s)(description=PACS user))");
        settings.put("gateway.roles.viewer", "CN=PACS Readers (Radiology North),OU=Groups,DC=hospital,DC=example");
        Map<String, String> properties = ldapProperties(settings);
        assertEquals("OU=Radiologie\\20\\c3\\84rzte,DC=hospital,DC=example", properties.get("base-dn"));
        assertEquals(new LdapName("OU=Radiologie Ärzte,DC=hospital,DC=example"), new LdapName(properties.get("base-dn")),
                "the directory reads the same DN");
        assertEquals("(&(uid=%s)(description=PACS\\20user))", properties.get("search-filter"));
        assertTrue(properties.get("group-search-filter").contains(
                "(entryDN=CN=PACS\\20Readers\\20\\28Radiology\\20North\\29,OU=Groups,DC=hospital,DC=example)"),
                properties.get("group-search-filter"));
        // The group's name has spaces, so the mapping is the value written in quotes.
        assertEquals("PACS Readers (Radiology North)->viewer;PACS-Uploaders->uploader;PACS-Admins->admin",
                properties.get("group-mapping"));
    }

    @Test
    void onlyOneValueWithSpacesFitsOnTheLine() {
        Map<String, String> settings = openLdap();
        settings.put("gateway.ldap.url", "ldaps://dc1.hospital.example ldaps://dc2.hospital.example");
        settings.put("gateway.roles.viewer", "CN=PACS Readers,OU=Groups,DC=hospital,DC=example");
        assertEquals("gateway.ldap.url (GATEWAY_LDAP_URL) and gateway.roles.viewer (GATEWAY_ROLES_VIEWER) both have"
                + " spaces, and Payara's boot command file can carry only one value with spaces per command: remove"
                + " the spaces from one of them", problem(settings));

        settings.put("gateway.roles.viewer", READERS);
        settings.put("gateway.ldap.bind-dn", "svc-pacs@hospital.example");
        settings.put("gateway.ldap.bind-password", "correct horse");
        assertTrue(problem(settings).startsWith("gateway.ldap.url (GATEWAY_LDAP_URL) and"
                + " gateway.ldap.bind-password (GATEWAY_LDAP_BIND_PASSWORD) both have spaces"));

        settings.put("gateway.ldap.url", "ldaps://dc1.hospital.example");
        assertEquals("correct horse", ldapProperties(settings).get("search-bind-password"));
        settings.put("gateway.ldap.bind-password", "correct \"horse\"");
        assertTrue(problem(settings).contains("has spaces and quotes"));
    }

    @Test
    void groupsNamedLikeAnotherRoleOrLikeEachOtherAreRefused() {
        Map<String, String> settings = openLdap();
        settings.put("gateway.roles.viewer", "CN=admin,OU=Groups,DC=hospital,DC=example");
        assertEquals("gateway.roles.viewer (GATEWAY_ROLES_VIEWER) names CN=admin,OU=Groups,DC=hospital,DC=example,"
                + " whose name is the role admin", problem(settings));

        settings.put("gateway.roles.viewer", "CN=PACS-Admins,OU=Other,OU=Groups,DC=hospital,DC=example");
        assertTrue(problem(settings).contains("for different roles, but the realm knows both as PACS-Admins"));

        // A group named as its own role needs no mapping (the realm refuses one to itself).
        settings.put("gateway.roles.viewer", "cn=viewer,ou=groups,dc=hospital,dc=example");
        assertEquals("PACS-Uploaders->uploader;PACS-Admins->admin", ldapProperties(settings).get("group-mapping"));

        // One group for two roles, and two spellings of one DN.
        settings.put("gateway.roles.viewer", ADMINS);
        settings.put("gateway.roles.admin", "cn=pacs-admins, ou=groups, dc=hospital, dc=example");
        Map<String, String> properties = ldapProperties(settings);
        assertEquals("PACS-Admins->viewer;PACS-Uploaders->uploader;PACS-Admins->admin", properties.get("group-mapping"));
        assertEquals(2, properties.get("group-search-filter").split("entryDN=", -1).length - 1,
                "each group once: " + properties.get("group-search-filter"));

        settings.put("gateway.roles.admin", "OU=Admins,OU=Groups,DC=hospital,DC=example");
        assertTrue(problem(settings).contains("whose first attribute is not CN like the other groups'"));
        // ";" separates groups, so a DN cannot hold one.
        settings.put("gateway.roles.admin", "CN=a;b,OU=Groups,DC=hospital,DC=example");
        assertTrue(problem(settings).startsWith("gateway.roles.admin (GATEWAY_ROLES_ADMIN) names CN=a, which is not below"));
        settings.put("gateway.roles.admin", "CN=a-\\>b,OU=Groups,DC=hospital,DC=example");
        assertTrue(problem(settings).contains("cannot hold names with , ; ->"));
    }

    @Test
    void everyBadSettingIsNamedInOneLine() {
        // The setting given, its value, and how the problem reported begins.
        String[][] cases = {
            {"gateway.realm", "kerberos",
                "gateway.realm (GATEWAY_REALM) must be file or ldap"},
            {"gateway.ldap.url", "https://dc1",
                "gateway.ldap.url (GATEWAY_LDAP_URL) must list"},
            {"gateway.ldap.url", "ldaps://dc1/dc=hospital,dc=example",
                "gateway.ldap.url (GATEWAY_LDAP_URL) must list ldaps:// or ldap:// URLs of host and port only"},
            {"gateway.ldap.url", "ldaps://dc1 ldap://dc2",
                "gateway.ldap.url (GATEWAY_LDAP_URL) mixes"},
            {"gateway.ldap.start-tls", "true",
                "gateway.ldap.start-tls (GATEWAY_LDAP_START_TLS) cannot be true"},
            {"gateway.ldap.user-base", "people",
                "gateway.ldap.user-base (GATEWAY_LDAP_USER_BASE) must be a distinguished name"},
            {"gateway.ldap.user-filter", "(uid=alice)",
                "gateway.ldap.user-filter (GATEWAY_LDAP_USER_FILTER) must be one LDAP filter"},
            {"gateway.ldap.user-filter", "(uid=%s))(x=y",
                "gateway.ldap.user-filter (GATEWAY_LDAP_USER_FILTER) must be one LDAP filter in parentheses"},
            {"gateway.ldap.group-filter", "(&(member=%d)(cn=PACS\\2a))",
                "gateway.ldap.group-filter (GATEWAY_LDAP_GROUP_FILTER) may not contain spaces, backslashes"},
            {"gateway.ldap.group-filter", "(&(member=%d)(description=a b))",
                "gateway.ldap.group-filter (GATEWAY_LDAP_GROUP_FILTER) may not contain spaces"},
            {"gateway.ldap.group-dn-attribute", "entry DN",
                "gateway.ldap.group-dn-attribute (GATEWAY_LDAP_GROUP_DN_ATTRIBUTE) must be an attribute name"},
            {"gateway.ldap.bind-dn", "cn=gateway,dc=hospital,dc=example",
                "gateway.ldap.bind-password (GATEWAY_LDAP_BIND_PASSWORD) is not set"},
            {"gateway.ldap.bind-password", "secret",
                "gateway.ldap.bind-dn (GATEWAY_LDAP_BIND_DN) is not set"},
            {"gateway.ldap.read-timeout-ms", "0",
                "gateway.ldap.read-timeout-ms (GATEWAY_LDAP_READ_TIMEOUT_MS) must be a positive whole number"},
            {"gateway.ldap.connect-timeout-ms", "3600000",
                "gateway.ldap.connect-timeout-ms (GATEWAY_LDAP_CONNECT_TIMEOUT_MS) must be at most"},
            {"gateway.ldap.pool-size", "x",
                "gateway.ldap.pool-size (GATEWAY_LDAP_POOL_SIZE) must be a positive"},
            {"gateway.ldap.trust-store", "/nowhere.p12",
                "gateway.ldap.trust-store (GATEWAY_LDAP_TRUST_STORE) names"},
            {"gateway.ldap.trust-store-password", "changeit",
                "gateway.ldap.trust-store-password (GATEWAY_LDAP_TRUST_STORE_PASSWORD) is set, but"},
            {"gateway.roles.admin", "PACS-Admins",
                "gateway.roles.admin (GATEWAY_ROLES_ADMIN) must be a distinguished name"},
            {"gateway.roles.admin", "CN=PACS-Admins,OU=Staff,DC=hospital,DC=example",
                "gateway.roles.admin (GATEWAY_ROLES_ADMIN) names CN=PACS-Admins,OU=Staff,DC=hospital,DC=example, which is not below ou=groups,dc=hospital,dc=example"},
        };
        for (String[] bad : cases) {
            Map<String, String> settings = openLdap();
            settings.put(bad[0], bad[1]);
            String problem = problem(settings);
            assertTrue(problem.startsWith(bad[2]), bad[2] + " <- " + problem);
        }
        Map<String, String> settings = openLdap();
        settings.remove("gateway.ldap.url");
        assertTrue(problem(settings).startsWith("gateway.ldap.url (GATEWAY_LDAP_URL) is not set"));
        settings = openLdap();
        settings.put("gateway.roles.viewer", " ; ");
        settings.remove("gateway.roles.uploader");
        settings.remove("gateway.roles.admin");
        assertTrue(problem(settings).startsWith("gateway.roles.viewer (GATEWAY_ROLES_VIEWER) (and gateway.roles.uploader,"
                + " .admin, .monitor) names no directory group"));
    }

    @Test
    void theTrustStoreBecomesTheServersAndItsPasswordIsChecked() throws Exception {
        Path store = dir.resolve("hospital-ca.p12");
        writeTrustStore(store, "trust:pw=1");
        Map<String, String> settings = openLdap();
        settings.put("gateway.ldap.trust-store", store.toString());
        settings.put("gateway.ldap.trust-store-password", "trust:pw=1");
        Path login = dir.resolve("login.conf");
        assertEquals(Map.of("javax.net.ssl.trustStore", store.toString(), "javax.net.ssl.trustStorePassword", "trust:pw=1",
                "com.sun.jndi.ldap.connect.pool.timeout", "300000", "java.security.auth.login.config", login.toString()),
                commands(settings).systemProperties(login));

        settings.put("gateway.ldap.trust-store-password", "wrong");
        assertTrue(problem(settings).startsWith("gateway.ldap.trust-store-password (GATEWAY_LDAP_TRUST_STORE_PASSWORD)"
                + " does not open " + store));
    }

    @Test
    void theLdapRealmRunsTheNameCheckBeforeTheServersLoginModule() throws Exception {
        String configuration = commands(openLdap()).loginConfiguration().orElseThrow();
        assertTrue(configuration.contains("ohifGatewayLdap {\n    org.ohifgateway.security.LoginNameCheck requisite;\n"
                + "    com.sun.enterprise.security.auth.login.LDAPLoginModule required;\n};"), configuration);
        assertTrue(configuration.contains("fileRealm {"), "the server's own entries stay");
        assertTrue(javax.security.auth.spi.LoginModule.class.isAssignableFrom(Class.forName(RealmCommands.NAME_CHECK)),
                "the class named is the WAR's login module");
    }

    private static void writeTrustStore(Path store, String password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setCertificateEntry("hospital-ca", certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, password.toCharArray());
        }
    }

    /** Any certificate: one of the JDK's own authorities. */
    private static Certificate certificate() throws Exception {
        KeyStore jdk = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(),
                "changeit".toCharArray());
        return jdk.getCertificate(Collections.list(jdk.aliases()).get(0));
    }
}
