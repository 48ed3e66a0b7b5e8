package org.ohifgateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.ohifgateway.security.UsersReloaded;

class RecentRolesTest {

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final RecentRoles recent = new RecentRoles(millis::get);
    private final AtomicInteger asked = new AtomicInteger();

    private Set<String> ask(Set<String> roles) {
        asked.incrementAndGet();
        return roles;
    }

    @Test
    void asksTheContainerOncePerUserWithinTheLifetime() {
        assertEquals(Set.of("viewer"), recent.of("alice", () -> ask(Set.of("viewer"))));
        millis.addAndGet(RecentRoles.LIFETIME.toMillis() - 1);
        assertEquals(Set.of("viewer"), recent.of("alice", () -> ask(Set.of("admin"))));
        assertEquals(1, asked.get());
        assertEquals(Set.of("uploader"), recent.of("bob", () -> ask(Set.of("uploader"))));
        assertEquals(2, asked.get());
    }

    @Test
    void aChangedUserShowsItsNewRolesOnceTheLifetimeIsOver() {
        recent.of("alice", () -> ask(Set.of("viewer", "admin")));
        millis.addAndGet(RecentRoles.LIFETIME.toMillis());
        assertEquals(Set.of("viewer"), recent.of("alice", () -> ask(Set.of("viewer"))));
        assertEquals(2, asked.get());
    }

    @Test
    void aRemovedUserHasNoRolesRightAfterTheUsersFileIsRead() {
        recent.of("alice", () -> ask(Set.of("admin")));
        recent.forget(new UsersReloaded());
        assertEquals(Set.of(), recent.of("alice", () -> ask(Set.of())));
        assertEquals(2, asked.get());
    }

    @Test
    void keepsAtMostABoundedNumberOfUsers() {
        for (int i = 0; i < 3 * RecentRoles.MAX_USERS; i++) {
            recent.of("user" + i, () -> Set.of("viewer"));
            assertTrue(recent.size() <= RecentRoles.MAX_USERS);
        }
    }
}
