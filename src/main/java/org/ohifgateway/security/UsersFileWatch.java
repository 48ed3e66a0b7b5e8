package org.ohifgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Looks at the users file each time it is asked and has the realm read it again after a change.
 * A change is acted on once the file stayed the same for one look, so an editor writing the file
 * in place is not caught halfway (the users tool replaces it whole), and only when the file is
 * whole: a missing, unreadable or broken file keeps the users read before, with one log line per
 * change. (A missing file must never reach Payara's realm, which would make it an empty one.)
 */
final class UsersFileWatch {

    /** What one look did. */
    enum Outcome {
        /** Nothing changed since the last look. */
        UNCHANGED,
        /** The file changed; it is read at the next look if it stays so. */
        SETTLING,
        /** The realm read the file again. */
        RELOADED,
        /** The file could not be used; the users read before stay in effect. */
        KEPT
    }

    /** The file as one look found it: its text, or why there is none. */
    private record Sight(String content, String problem) {
    }

    private static final Logger LOG = Logger.getLogger(UsersFileWatch.class.getName());

    private final Path file;
    private final ServerRealm realm;
    private final Runnable afterReload;
    private Sight seen;
    private boolean handled;

    /** @param afterReload told each time the realm read the file, before the log line says so */
    UsersFileWatch(Path file, ServerRealm realm, Runnable afterReload) {
        this.file = file;
        this.realm = realm;
        this.afterReload = afterReload;
    }

    Outcome look() {
        Sight now = sight();
        if (!now.equals(seen)) {
            seen = now;
            handled = false;
            return Outcome.SETTLING;
        }
        if (handled) {
            return Outcome.UNCHANGED;
        }
        handled = true;
        if (now.problem() != null) {
            return kept(now.problem());
        }
        UsersFileCheck.Result check = UsersFileCheck.check(now.content());
        if (!check.whole()) {
            return kept("not read, " + check.problem());
        }
        try {
            realm.reload();
        } catch (ServerRealm.RealmException e) {
            return kept("not read: " + e.getMessage());
        }
        afterReload.run();
        LOG.info("Users file " + file + " read: " + (check.users() == 1 ? "1 user." : check.users() + " users."));
        return Outcome.RELOADED;
    }

    private Outcome kept(String problem) {
        LOG.warning("Users file " + file + " " + problem + "; the users read before stay in effect.");
        return Outcome.KEPT;
    }

    private Sight sight() {
        try {
            return new Sight(Files.readString(file, StandardCharsets.UTF_8), null);
        } catch (NoSuchFileException e) {
            return new Sight(null, "is missing");
        } catch (IOException | RuntimeException e) {
            return new Sight(null, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
