package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ohifgateway.security.UsersFileCheckTest.HASH;
import static org.ohifgateway.security.UsersFileWatch.Outcome.KEPT;
import static org.ohifgateway.security.UsersFileWatch.Outcome.RELOADED;
import static org.ohifgateway.security.UsersFileWatch.Outcome.SETTLING;
import static org.ohifgateway.security.UsersFileWatch.Outcome.UNCHANGED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileWatchTest {

    private static final String ALICE = "alice;" + HASH + ";viewer\n";
    private static final String BOB = "bob;" + HASH + ";admin\n";

    @TempDir
    Path dir;

    /** A realm that records what it read each time it was asked to read the file again. */
    private final class RecordingRealm implements ServerRealm {
        final List<String> reads = new ArrayList<>();
        String refusal;

        @Override
        public Path usersFile() {
            return file();
        }

        @Override
        public void reload() throws RealmException {
            if (refusal != null) {
                throw new RealmException(refusal);
            }
            try {
                reads.add(Files.readString(file()));
                steps.add("read");
            } catch (java.io.IOException e) {
                throw new RealmException(e.toString());
            }
        }

        @Override
        public java.util.Set<String> groupsOf(javax.security.auth.Subject checked) {
            return java.util.Set.of();
        }
    }

    private final RecordingRealm realm = new RecordingRealm();
    /** What happened in order: the realm's readings ("read"), the reload told ("told"), the log line ("logged"). */
    private final List<String> steps = new ArrayList<>();

    private Path file() {
        return dir.resolve("users");
    }

    private UsersFileWatch watching(String content) throws Exception {
        Files.writeString(file(), content);
        UsersFileWatch watch = new UsersFileWatch(file(), realm, () -> steps.add("told"));
        assertEquals(SETTLING, watch.look());
        assertEquals(RELOADED, watch.look(), "read once at start, so nothing changed while the server booted is missed");
        return watch;
    }

    @Test
    void aChangeIsReadOnceItHasSettledAndOnlyOnce() throws Exception {
        UsersFileWatch watch = watching(ALICE);
        assertEquals(UNCHANGED, watch.look());
        Files.writeString(file(), ALICE + BOB);
        assertEquals(SETTLING, watch.look());
        assertEquals(RELOADED, watch.look());
        assertEquals(UNCHANGED, watch.look());
        assertEquals(List.of(ALICE, ALICE + BOB), realm.reads);
    }

    @Test
    void whatWasLearntOfTheUsersIsForgottenBeforeTheLogSaysTheFileWasRead() throws Exception {
        // An admin (and a test) who sees the log line may rely on the change: kept logins must be gone by then.
        Logger log = Logger.getLogger(UsersFileWatch.class.getName());
        Handler logged = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains(" read: ")) {
                    steps.add("logged");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(logged);
        try {
            UsersFileWatch watch = watching(ALICE);
            Files.writeString(file(), "broken\n");
            assertEquals(SETTLING, watch.look());
            assertEquals(KEPT, watch.look());
            assertEquals(List.of("read", "told", "logged"), steps, "a file not read tells nothing");
        } finally {
            log.removeHandler(logged);
        }
    }

    @Test
    void aFileStillBeingWrittenIsNotRead() throws Exception {
        UsersFileWatch watch = watching(ALICE);
        Files.writeString(file(), ALICE + "bob;{SSHA");
        assertEquals(SETTLING, watch.look());
        Files.writeString(file(), ALICE + BOB);
        assertEquals(SETTLING, watch.look(), "changed again since the last look");
        assertEquals(RELOADED, watch.look());
        assertEquals(List.of(ALICE, ALICE + BOB), realm.reads);
    }

    @Test
    void aBrokenOrMissingFileKeepsTheUsersReadBefore() throws Exception {
        UsersFileWatch watch = watching(ALICE + BOB);
        Files.writeString(file(), ALICE + "bob;" + HASH + "\u00a0admin\n;;\n");
        assertEquals(SETTLING, watch.look());
        assertEquals(KEPT, watch.look());
        assertEquals(UNCHANGED, watch.look(), "one log line per change, not per look");
        Files.delete(file());
        assertEquals(SETTLING, watch.look());
        assertEquals(KEPT, watch.look());
        Files.writeString(file(), ALICE);
        assertEquals(SETTLING, watch.look());
        assertEquals(RELOADED, watch.look());
        assertEquals(List.of(ALICE + BOB, ALICE), realm.reads);
    }

    @Test
    void removingTheLastUserTakesEffect() throws Exception {
        UsersFileWatch watch = watching(ALICE);
        Files.writeString(file(), "");
        watch.look();
        assertEquals(RELOADED, watch.look());
        assertEquals(List.of(ALICE, ""), realm.reads);
    }

    @Test
    void aRealmThatCannotReadTheFileIsReportedOnceAndAskedAgainAfterTheNextChange() throws Exception {
        UsersFileWatch watch = watching(ALICE);
        realm.refusal = "the realm ohif-gateway refused refresh";
        Files.writeString(file(), ALICE + BOB);
        watch.look();
        assertEquals(KEPT, watch.look());
        assertEquals(UNCHANGED, watch.look());
        realm.refusal = null;
        Files.writeString(file(), BOB);
        watch.look();
        assertEquals(RELOADED, watch.look());
        assertEquals(List.of(ALICE, BOB), realm.reads);
    }
}
