package org.ohifgateway.tools.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootFoldersTest {

    private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");

    @TempDir
    Path temp;

    /** Processes 100 and 200 run; every other id is gone. */
    private static BootFolders in(Path parent) {
        return new BootFolders(parent, pid -> pid == 100 || pid == 200);
    }

    @Test
    void aFolderIsTheOwnersOnly() throws IOException {
        Path folder = in(temp).create(100);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertTrue(folder.getFileName().toString().startsWith("ohif-gateway-boot-"));
    }

    @Test
    void aKilledStartCommandsFolderGoesAtTheNextStart() throws IOException {
        BootFolders boot = in(temp);
        Path killed = boot.create(300);
        Files.createDirectories(killed.resolve("runtime/lib"));
        Files.writeString(killed.resolve("runtime/lib/domain.xml"), "passwords");
        Path running = boot.create(100);
        Path serverLeftRunning = boot.create(301);
        BootFolders.addServer(serverLeftRunning, 200);
        Path otherFile = Files.writeString(temp.resolve("ohif-gateway-boot-notes"), "not a folder");

        assertEquals(List.of(killed), boot.removeAbandoned(NOW));
        assertFalse(Files.exists(killed));
        assertTrue(Files.isDirectory(running), "its start command runs");
        assertTrue(Files.isDirectory(serverLeftRunning), "its server runs, though its start command was killed");
        assertTrue(Files.exists(otherFile));
    }

    @Test
    void aFolderWithoutItsOwnersIsBeingMadeUnlessItIsOld() throws IOException {
        Path beingMade = Files.createDirectory(temp.resolve("ohif-gateway-boot-1"));
        Path old = Files.createDirectory(temp.resolve("ohif-gateway-boot-2"));
        Files.setLastModifiedTime(beingMade, FileTime.from(NOW.minus(Duration.ofMinutes(5))));
        Files.setLastModifiedTime(old, FileTime.from(NOW.minus(Duration.ofHours(2))));
        assertEquals(Set.of(old), Set.copyOf(in(temp).removeAbandoned(NOW)));
        assertTrue(Files.isDirectory(beingMade));
    }
}
