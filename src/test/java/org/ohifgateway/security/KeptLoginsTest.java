package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.ohifgateway.http.BasicLogin.Credentials;

class KeptLoginsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final KeptLogins logins = new KeptLogins(Duration.ofSeconds(30), now::get);
    private final Credentials ann = new Credentials("ann", "right");

    @Test
    void anAcceptedLoginIsKeptWithItsGroupsForTheKeepingTimeFromItsCheck() {
        assertEquals(Optional.empty(), logins.groupsOf(ann), "not checked yet");
        logins.keep(logins.beforeCheck(), ann, Set.of("viewer"));
        assertEquals(Optional.of(Set.of("viewer")), logins.groupsOf(ann));
        now.addAndGet(29_999);
        assertEquals(Optional.of(Set.of("viewer")), logins.groupsOf(ann), "use does not extend it");
        now.addAndGet(1);
        assertEquals(Optional.empty(), logins.groupsOf(ann), "checked again after the keeping time");
    }

    @Test
    void onlyTheSameNameWithTheSamePasswordIsFound() {
        logins.keep(logins.beforeCheck(), ann, Set.of("viewer"));
        assertEquals(Optional.empty(), logins.groupsOf(new Credentials("ann", "wrong")));
        assertEquals(Optional.empty(), logins.groupsOf(new Credentials("ann", "right ")));
        assertEquals(Optional.empty(), logins.groupsOf(new Credentials("Ann", "right")));
        // The name's length is part of the hash: the same bytes split otherwise are another login.
        assertEquals(Optional.empty(), logins.groupsOf(new Credentials("annr", "ight")));
        assertEquals(Optional.empty(), logins.groupsOf(new Credentials("an", "nright")));
    }

    @Test
    void readingTheUsersFileAgainForgetsEveryLoginAndAnyCheckBegunBefore() {
        logins.keep(logins.beforeCheck(), ann, Set.of("viewer"));
        long begun = logins.beforeCheck();
        logins.forget(new UsersReloaded());
        assertEquals(Optional.empty(), logins.groupsOf(ann));
        logins.keep(begun, ann, Set.of("viewer"));
        assertEquals(Optional.empty(), logins.groupsOf(ann), "checked against the users before the reading");
        logins.keep(logins.beforeCheck(), ann, Set.of("admin"));
        assertEquals(Optional.of(Set.of("admin")), logins.groupsOf(ann), "a check after it counts");
    }

    @Test
    void theMemoryIsBoundedExpiredLoginsMakeRoomAndPastTheBoundItStartsAfresh() {
        for (int i = 0; i < KeptLogins.MAX_LOGINS; i++) {
            logins.keep(logins.beforeCheck(), new Credentials("user" + i, "pw"), Set.of());
        }
        assertEquals(KeptLogins.MAX_LOGINS, logins.size());
        logins.keep(logins.beforeCheck(), ann, Set.of("viewer"));
        assertEquals(1, logins.size(), "none expired: the memory starts afresh");
        assertTrue(logins.groupsOf(ann).isPresent());

        for (int i = 1; i < KeptLogins.MAX_LOGINS; i++) {
            logins.keep(logins.beforeCheck(), new Credentials("user" + i, "pw"), Set.of());
        }
        now.addAndGet(30_000);
        logins.keep(logins.beforeCheck(), new Credentials("bob", "pw"), Set.of("admin"));
        assertEquals(1, logins.size(), "expired logins were dropped for it");
    }

    @Test
    void anExpiredLoginIsDroppedWhenAskedFor() {
        logins.keep(logins.beforeCheck(), ann, Set.of("viewer"));
        now.addAndGet(30_000);
        assertEquals(Optional.empty(), logins.groupsOf(ann));
        assertEquals(0, logins.size());
    }

    @Test
    void zeroKeepsNothing() {
        KeptLogins off = new KeptLogins(Duration.ZERO, now::get);
        assertFalse(off.enabled());
        off.keep(off.beforeCheck(), ann, Set.of("viewer"));
        assertEquals(Optional.empty(), off.groupsOf(ann));
        assertTrue(logins.enabled());
    }
}
