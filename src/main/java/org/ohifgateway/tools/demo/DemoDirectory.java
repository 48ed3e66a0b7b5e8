package org.ohifgateway.tools.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.ohifgateway.config.EnvironmentName;

/**
 * {@code demo-directory --dir DIR}: a directory for the demo's logins, so that the demo can show
 * {@code gateway.realm=ldap}. Starts a slapd of its own ({@link Slapd}: LDAPS on a free loopback
 * port, an authority made for it) holding one user per role, each a member of a group named as a
 * hospital would name it ({@code pacs-readers}, not {@code viewer}), and the service account the
 * gateway searches with. Every password is new on every start. Writes into DIR (its owner's only):
 *
 * <ul>
 * <li>{@code users}: a line per demo user, {@code name password}, when the directory is ready;
 * <li>{@code gateway.env}: the gateway's settings as environment lines {@code NAME=value}, the
 * secrets as files ({@code gateway.ldap.bind-password-file}, ...); written last, so its presence
 * says that the directory answers.
 * </ul>
 *
 * It then runs until stopped (SIGTERM, Ctrl-C) and stops slapd with it.
 */
public final class DemoDirectory {

    static final String SUFFIX = "dc=hospital,dc=example";
    static final String PEOPLE = "ou=people," + SUFFIX;
    static final String GROUPS = "ou=groups," + SUFFIX;
    static final String SERVICE_ACCOUNT = "cn=pacs-gateway,ou=services," + SUFFIX;
    /** Each role's demo user and the group that gives it the role. */
    static final Map<String, String> GROUP_OF_ROLE = orderedMap(
            "viewer", "pacs-readers", "uploader", "pacs-uploaders", "admin", "pacs-admins", "monitor", "pacs-monitoring");
    /** Only the service account may search; anybody may try a password. */
    private static final String ACL = String.join("\n",
            "access to attrs=userPassword by anonymous auth by * none",
            "access to * by dn.exact=\"" + SERVICE_ACCOUNT + "\" read by anonymous auth by * none");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoDirectory() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("--dir")) {
            err.println("usage: demo-directory --dir DIR   (DIR must not exist yet)");
            return 2;
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        if (Files.exists(dir)) {
            err.println("demo-directory: " + dir + " exists already: name a new directory");
            return 2;
        }
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Map<String, String> passwords = new LinkedHashMap<>();
            GROUP_OF_ROLE.keySet().forEach(user -> passwords.put(user, password()));
            String bindPassword = password();
            Slapd slapd = Slapd.create(dir.resolve("slapd"), SUFFIX, ACL, ldif(passwords, bindPassword));
            slapd.start();
            String trustStorePassword = password();
            Path trustStore = slapd.trustStore(trustStorePassword);
            Files.writeString(dir.resolve("bind-password"), bindPassword + "\n");
            Files.writeString(dir.resolve("trust-store-password"), trustStorePassword + "\n");
            Files.writeString(dir.resolve("users"), passwords.entrySet().stream()
                    .map(user -> user.getKey() + " " + user.getValue() + "\n").collect(Collectors.joining()));
            Path environment = dir.resolve("gateway.env.new");
            Files.writeString(environment, settings(slapd.url(), trustStore, dir).entrySet().stream()
                    .map(setting -> EnvironmentName.of(setting.getKey()) + "=" + setting.getValue() + "\n")
                    .collect(Collectors.joining()));
            Files.move(environment, dir.resolve("gateway.env"), StandardCopyOption.ATOMIC_MOVE);
            out.println("demo-directory: slapd answers on " + slapd.url() + " (" + dir.resolve("slapd") + ")");
            out.flush();
            if (slapd.awaitExit()) {
                err.println("demo-directory: slapd exited; see " + dir.resolve("slapd/slapd.log"));
                return 1;
            }
            return 0;
        } catch (IOException | GeneralSecurityException e) {
            err.println("demo-directory: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The gateway's settings for this directory, the secrets as files in {@code dir}. */
    static Map<String, String> settings(String url, Path trustStore, Path dir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("gateway.realm", "ldap");
        settings.put("gateway.ldap.url", url);
        settings.put("gateway.ldap.trust-store", trustStore.toString());
        settings.put("gateway.ldap.trust-store-password-file", dir.resolve("trust-store-password").toString());
        settings.put("gateway.ldap.bind-dn", SERVICE_ACCOUNT);
        settings.put("gateway.ldap.bind-password-file", dir.resolve("bind-password").toString());
        settings.put("gateway.ldap.user-base", PEOPLE);
        settings.put("gateway.ldap.group-base", GROUPS);
        GROUP_OF_ROLE.forEach((role, group) -> settings.put("gateway.roles." + role, groupDn(group)));
        return settings;
    }

    /** The tree: people, groups, services; each demo user alone in the group of its role. */
    static String ldif(Map<String, String> passwords, String bindPassword) {
        StringBuilder ldif = new StringBuilder("dn: " + SUFFIX
                + "\nobjectClass: dcObject\nobjectClass: organization\no: Demo Hospital\ndc: hospital\n");
        for (String unit : new String[] {"people", "groups", "services"}) {
            ldif.append("\ndn: ou=").append(unit).append(',').append(SUFFIX)
                    .append("\nobjectClass: organizationalUnit\nou: ").append(unit).append('\n');
        }
        ldif.append("\ndn: ").append(SERVICE_ACCOUNT).append("\nobjectClass: person\ncn: pacs-gateway\nsn: pacs-gateway")
                .append("\nuserPassword: ").append(bindPassword).append('\n');
        passwords.forEach((user, password) -> ldif.append("\ndn: uid=").append(user).append(',').append(PEOPLE)
                .append("\nobjectClass: inetOrgPerson\nuid: ").append(user).append("\ncn: ").append(user)
                .append("\nsn: ").append(user).append("\nuserPassword: ").append(password).append('\n'));
        GROUP_OF_ROLE.forEach((user, group) -> ldif.append("\ndn: ").append(groupDn(group))
                .append("\nobjectClass: groupOfNames\ncn: ").append(group)
                .append("\nmember: uid=").append(user).append(',').append(PEOPLE).append('\n'));
        return ldif.toString();
    }

    private static String groupDn(String group) {
        return "cn=" + group + "," + GROUPS;
    }

    /** 24 characters of [A-Za-z0-9_-]: nothing a settings file, an LDIF or a terminal would take as syntax. */
    private static String password() {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
