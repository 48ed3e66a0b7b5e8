package org.ohifgateway.tools.users;

import org.ohifgateway.http.Roles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keyfile of Payara's file realm: one {@code user;{SSHA256}hash;group,group} line per user,
 * where the groups are the gateway's roles. Lines of users not touched are kept as they were.
 */
public final class UsersFile {

    public static final Set<String> ROLES = Set.copyOf(Roles.GRANTABLE);
    public static final int MIN_PASSWORD_LENGTH = 12;

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Path file;
    /** user name to the whole line, in file order */
    private final Map<String, String> lines;

    private UsersFile(Path file, Map<String, String> lines) {
        this.file = file;
        this.lines = lines;
    }

    public static UsersFile load(Path file) throws IOException {
        Map<String, String> lines = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.put(line.substring(0, Math.max(line.indexOf(';'), 0)), line);
                }
            }
        }
        return new UsersFile(file, lines);
    }

    /** User names with their roles, in file order. */
    public Map<String, List<String>> users() {
        Map<String, List<String>> users = new LinkedHashMap<>();
        lines.forEach((user, line) -> {
            String[] fields = line.split(";", -1);
            users.put(user, fields.length > 2 && !fields[2].isEmpty() ? List.of(fields[2].split(",")) : List.of());
        });
        return users;
    }

    public void add(String user, Set<String> roles, char[] password) throws UsersFileException {
        checkUserName(user);
        if (lines.containsKey(user)) {
            throw new UsersFileException("user " + user + " already exists; use passwd to change the password");
        }
        lines.put(user, line(user, PasswordHash.hash(checkedPassword(password)), checkedRoles(roles)));
    }

    public void remove(String user) throws UsersFileException {
        if (lines.remove(user) == null) {
            throw new UsersFileException("no user " + user);
        }
    }

    public void setPassword(String user, char[] password) throws UsersFileException {
        String[] fields = fields(user);
        lines.put(user, line(user, PasswordHash.hash(checkedPassword(password)), fields.length > 2 ? fields[2] : ""));
    }

    /** Replaces the user's roles; the password stays. */
    public void setRoles(String user, Set<String> roles) throws UsersFileException {
        lines.put(user, line(user, fields(user)[1], checkedRoles(roles)));
    }

    /** The fields of an existing user's line. */
    private String[] fields(String user) throws UsersFileException {
        String line = lines.get(user);
        if (line == null) {
            throw new UsersFileException("no user " + user);
        }
        return line.split(";", -1);
    }

    /** Writes a new file beside the old one and moves it into place, readable by its owner only. */
    public void save() throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".users", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system's own permissions apply
            }
            List<String> content = new ArrayList<>(lines.values());
            Files.write(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String line(String user, String hash, String roles) {
        return user + ";" + hash + ";" + roles;
    }

    private static void checkUserName(String user) throws UsersFileException {
        if (!USER_NAME.matcher(user).matches()) {
            throw new UsersFileException("user names are 1 to 64 letters, digits or . _ @ -, got: " + user);
        }
    }

    private static String checkedRoles(Set<String> roles) throws UsersFileException {
        if (roles.isEmpty()) {
            throw new UsersFileException("give at least one role of " + String.join(", ", sortedRoles()));
        }
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new UsersFileException("unknown role " + role + "; roles are " + String.join(", ", sortedRoles()));
            }
        }
        return String.join(",", new LinkedHashSet<>(roles));
    }

    private static char[] checkedPassword(char[] password) throws UsersFileException {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new UsersFileException("passwords need at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        return password;
    }

    private static List<String> sortedRoles() {
        return List.of("viewer", "uploader", "admin", "monitor");
    }
}
