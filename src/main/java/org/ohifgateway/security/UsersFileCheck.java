package org.ohifgateway.security;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a users file is whole enough to replace the users in effect. Payara's file realm
 * silently skips a line without a {@code ;} and reads the rest, so a damaged line would quietly
 * lock its user out; here every line other than blank lines and {@code #} comments must be
 * {@code user;{SSHA256}base64;group,...} (or the older {@code {SSHA}}), and no user may appear twice.
 * Messages name the line and the user, never the hash.
 */
final class UsersFileCheck {

    /** What a check found: the number of users, or the first problem (null when there is none). */
    record Result(int users, String problem) {

        boolean whole() {
            return problem == null;
        }
    }

    /** The hash is followed by an 8-byte salt; a shorter value cannot be a hash. */
    private static final int SALT_BYTES = 8;

    private UsersFileCheck() {
    }

    static Result check(String content) {
        Set<String> users = new HashSet<>();
        String[] lines = content.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String problem = problem(line, users);
            if (problem != null) {
                return new Result(users.size(), "line " + (i + 1) + ": " + problem);
            }
        }
        return new Result(users.size(), null);
    }

    private static String problem(String line, Set<String> users) {
        String[] fields = line.split(";", -1);
        String user = fields[0];
        if (fields.length < 2 || fields.length > 3) {
            return "expected user;hash;roles";
        }
        if (user.isBlank() || !user.strip().equals(user)) {
            return "no user name";
        }
        if (!hash(fields[1])) {
            return "the password hash of " + user + " is not {SSHA256} followed by base64";
        }
        if (!users.add(user)) {
            return user + " appears twice";
        }
        return null;
    }

    private static boolean hash(String field) {
        String encoded;
        if (field.startsWith("{SSHA256}")) {
            encoded = field.substring("{SSHA256}".length());
        } else if (field.startsWith("{SSHA}")) {
            encoded = field.substring("{SSHA}".length());
        } else {
            return false;
        }
        try {
            return Base64.getDecoder().decode(encoded).length > SALT_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
