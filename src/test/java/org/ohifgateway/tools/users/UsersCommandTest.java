package org.ohifgateway.tools.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCommandTest {

    private static final String SECRET = "Sup3r-secret-passphrase";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return UsersCommand.run(args, new BufferedReader(new StringReader(stdin)), null,
                new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void addsListsAndRemovesUsersWithThePasswordFromStandardInput() throws Exception {
        String file = dir.resolve("users").toString();
        assertEquals(0, run(SECRET + "\n", "--file", file, "add", "alice", "viewer,uploader"));
        assertTrue(out.toString().contains("A running gateway takes the change within seconds"), out.toString());
        assertEquals(0, run("", "--file", file, "list"));
        assertTrue(out.toString().contains("alice\tviewer,uploader"));
        assertEquals(0, run("another-long-passphrase\n", "--file", file, "passwd", "alice"));
        assertEquals(0, run("", "--file", file, "roles", "alice", "admin"));
        assertEquals(0, run("", "--file", file, "list"));
        assertTrue(out.toString().contains("alice\tadmin"));
        assertEquals(0, run("", "--file", file, "remove", "alice"));
        assertEquals("", Files.readString(Path.of(file)).strip());
        assertFalse((out + err.toString()).contains(SECRET), "the password is never printed");
        assertFalse(Files.readString(Path.of(file)).contains(SECRET));
    }

    @Test
    void mistakesGiveExitCodesAndMessagesNotStackTraces() {
        String file = dir.resolve("users").toString();
        assertEquals(2, run("", "--file", file));
        assertEquals(2, run("", "--file", file, "add", "alice"));
        assertEquals(2, run("", "--file", file, "add", "alice", "viewer", "--password", SECRET));
        assertEquals(2, run("", "--file", file, "frobnicate"));
        assertTrue(err.toString().contains("usage:"));
        assertEquals(1, run("short\n", "--file", file, "add", "alice", "viewer"));
        assertEquals(1, run("", "--file", file, "add", "alice", "viewer"));
        assertEquals(1, run(SECRET + "\n", "--file", file, "add", "alice", "superuser"));
        assertEquals(1, run("", "--file", file, "remove", "nobody"));
        assertEquals(1, run("", "--file", file, "roles", "nobody", "viewer"));
        assertEquals(2, run("", "--file", file, "roles", "alice"));
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
