package org.ohifgateway.tools.users;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code users [--file PATH] add USER ROLES | passwd USER | roles USER ROLES | remove USER | list}. Passwords are
 * asked for on the terminal, or read as one line from standard input when there is none, and
 * never taken from the command line, where other users of the machine could read them.
 */
public final class UsersCommand {

    static final String USAGE = """
            usage: users [--file PATH] add USER ROLE[,ROLE...]
                   users [--file PATH] passwd USER
                   users [--file PATH] roles USER ROLE[,ROLE...]
                   users [--file PATH] remove USER
                   users [--file PATH] list
            PATH defaults to $GATEWAY_USERS_FILE. Roles: viewer, uploader, admin, monitor.
            The password is asked for, or read as one line from standard input.""";

    private UsersCommand() {
    }

    public static int run(String[] args, BufferedReader stdin, Console console, PrintStream out, PrintStream err) {
        List<String> words = List.of(args);
        String file = System.getenv("GATEWAY_USERS_FILE");
        if (words.size() >= 2 && words.get(0).equals("--file")) {
            file = words.get(1);
            words = words.subList(2, words.size());
        }
        if (file == null || file.isBlank() || words.isEmpty() || !expectedArguments(words)) {
            err.println(USAGE);
            return 2;
        }
        try {
            UsersFile users = UsersFile.load(Path.of(file));
            switch (words.get(0)) {
                case "list" -> {
                    for (Map.Entry<String, List<String>> user : users.users().entrySet()) {
                        out.println(user.getKey() + "\t" + String.join(",", user.getValue()));
                    }
                    return 0;
                }
                case "add" -> users.add(words.get(1), roles(words.get(2)), password(stdin, console));
                case "passwd" -> users.setPassword(words.get(1), password(stdin, console));
                case "roles" -> users.setRoles(words.get(1), roles(words.get(2)));
                case "remove" -> users.remove(words.get(1));
                default -> throw new IllegalStateException("checked by expectedArguments");
            }
            users.save();
            out.println(words.get(0) + " " + words.get(1) + ": done. A running gateway takes the change within"
                    + " seconds (its log says \"Users file " + file + " read\").");
            return 0;
        } catch (UsersFileException e) {
            err.println("users: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("users: cannot read or write " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static boolean expectedArguments(List<String> words) {
        return switch (words.get(0)) {
            case "list" -> words.size() == 1;
            case "add", "roles" -> words.size() == 3;
            case "passwd", "remove" -> words.size() == 2;
            default -> false;
        };
    }

    private static Set<String> roles(String list) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : list.split(",")) {
            if (!role.isBlank()) {
                roles.add(role.trim());
            }
        }
        return roles;
    }

    private static char[] password(BufferedReader stdin, Console console) throws IOException, UsersFileException {
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Password again: ");
            if (first == null || !Arrays.equals(first, again)) {
                throw new UsersFileException("the passwords do not match");
            }
            return first;
        }
        String line = stdin.readLine();
        if (line == null) {
            throw new UsersFileException("no password on standard input");
        }
        return line.toCharArray();
    }
}
