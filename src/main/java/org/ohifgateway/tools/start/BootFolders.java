package org.ohifgateway.tools.start;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * The folders a start command runs its server from: Payara's runtime (about 400 MB) and its
 * boot commands, which hold passwords. Each is removed when its server stops; a start command
 * killed outright cannot do that, so every start also removes the folders whose start command and
 * server are both gone, which it knows by the process ids each folder names.
 */
final class BootFolders {

    private static final String PREFIX = "ohif-gateway-boot-";
    private static final String OWNERS = "processes";
    /** A folder without its owners' ids is being made by a start command just now, unless it is older. */
    private static final Duration MAKING = Duration.ofHours(1);

    private final Path parent;
    private final LongPredicate running;

    /**
     * @param parent where the folders are made (the temp folder)
     * @param running whether a process of that id is running
     */
    BootFolders(Path parent, LongPredicate running) {
        this.parent = parent;
        this.running = running;
    }

    /** A folder for a server this process starts, readable by its owner only. */
    Path create(long startCommandPid) throws IOException {
        Path folder = Files.createTempDirectory(parent, PREFIX);
        Files.setPosixFilePermissions(folder, Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        Files.writeString(folder.resolve(OWNERS), startCommandPid + "\n");
        return folder;
    }

    /** Names the server's process too: a server left running by a killed start command keeps its folder. */
    static void addServer(Path folder, long serverPid) throws IOException {
        Files.writeString(folder.resolve(OWNERS), serverPid + "\n", StandardOpenOption.APPEND);
    }

    /** Removes the folders of start commands that are no longer running; returns them. */
    List<Path> removeAbandoned(Instant now) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path folder : folders) {
                if (abandoned(folder, now)) {
                    remove(folder);
                    removed.add(folder);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Another user's folder, or one removed meanwhile: left as it is.
        }
        return removed;
    }

    private boolean abandoned(Path folder, Instant now) throws IOException {
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            return false;
        }
        Path owners = folder.resolve(OWNERS);
        if (Files.isReadable(owners)) {
            try {
                return Files.readAllLines(owners).stream().mapToLong(Long::parseLong).noneMatch(running);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return Files.getLastModifiedTime(folder).toInstant().isBefore(now.minus(MAKING));
    }

    /** Removes a folder and what it holds, as far as it can; what is left goes at a later start. */
    static void remove(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException goneMeanwhile) {
            // removed by the shutdown hook at the same time, or not readable: nothing more to do here
        }
    }
}
