package org.ohifgateway.tools.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    private static final char[] PASSWORD = "a long enough password".toCharArray();

    @TempDir
    Path dir;

    @Test
    void addPasswdRemoveAndListRoundTripThroughTheFile() throws Exception {
        Path file = dir.resolve("users");
        UsersFile users = UsersFile.load(file);
        users.add("alice", Set.of("viewer"), PASSWORD);
        users.add("bob.smith@hospital", Set.of("uploader"), PASSWORD);
        users.save();

        UsersFile again = UsersFile.load(file);
        assertEquals(Map.of("alice", List.of("viewer"), "bob.smith@hospital", List.of("uploader")), again.users());
        String aliceHash = Files.readAllLines(file).get(0).split(";")[1];
        assertTrue(PasswordHash.matches(PASSWORD, aliceHash));

        again.setPassword("alice", "another long password".toCharArray());
        again.remove("bob.smith@hospital");
        again.save();
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("alice;{SSHA256}") && lines.get(0).endsWith(";viewer"));
        assertTrue(PasswordHash.matches("another long password".toCharArray(), lines.get(0).split(";")[1]));
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyAndForeignLinesSurvive() throws Exception {
        Path file = dir.resolve("users");
        String foreign = "legacy;{SSHA256}c29tZXRoaW5nIG9sZCBhbmQgc2FsdHk=;admin,auditors";
        Files.writeString(file, foreign + "\n");
        UsersFile users = UsersFile.load(file);
        users.add("carol", Set.of("admin"), PASSWORD);
        users.save();
        assertEquals(foreign, Files.readAllLines(file).get(0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var leftovers = Files.list(dir)) {
            assertEquals(List.of(file), leftovers.toList(), "no temporary file left behind");
        }
    }

    @Test
    void badInputIsRefusedWithAReason() throws Exception {
        UsersFile users = UsersFile.load(dir.resolve("users"));
        users.add("alice", Set.of("viewer"), PASSWORD);
        assertTrue(assertThrows(UsersFileException.class, () -> users.add("alice", Set.of("viewer"), PASSWORD))
                .getMessage().contains("already exists"));
        assertThrows(UsersFileException.class, () -> users.add("bad;name", Set.of("viewer"), PASSWORD));
        assertThrows(UsersFileException.class, () -> users.add("bad name", Set.of("viewer"), PASSWORD));
        assertThrows(UsersFileException.class, () -> users.add("dave", Set.of("root"), PASSWORD));
        assertThrows(UsersFileException.class, () -> users.add("dave", Set.of(), PASSWORD));
        assertTrue(assertThrows(UsersFileException.class, () -> users.add("dave", Set.of("viewer"), "short".toCharArray()))
                .getMessage().contains("12"));
        assertThrows(UsersFileException.class, () -> users.remove("nobody"));
        assertThrows(UsersFileException.class, () -> users.setPassword("nobody", PASSWORD));
        assertThrows(UsersFileException.class, () -> users.setRoles("nobody", Set.of("viewer")));
        assertThrows(UsersFileException.class, () -> users.setRoles("alice", Set.of("root")));
        assertThrows(UsersFileException.class, () -> users.setRoles("alice", Set.of()));
    }

    @Test
    void changingRolesKeepsThePassword() throws Exception {
        Path file = dir.resolve("users");
        UsersFile users = UsersFile.load(file);
        users.add("alice", Set.of("viewer"), PASSWORD);
        users.save();
        String hash = Files.readAllLines(file).get(0).split(";")[1];
        UsersFile again = UsersFile.load(file);
        again.setRoles("alice", Set.of("admin"));
        again.save();
        assertEquals(List.of("alice;" + hash + ";admin"), Files.readAllLines(file));
    }
}
