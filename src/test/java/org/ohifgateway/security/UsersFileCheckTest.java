package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UsersFileCheckTest {

    /** 32 bytes of digest and 8 of salt, as the users tool writes them. */
    static final String HASH = "{SSHA256}" + "A".repeat(52) + "AAAA";

    @Test
    void linesAsTheUsersToolWritesThemAreWhole() {
        String file = "alice;" + HASH + ";viewer\nbob;" + HASH + ";uploader,viewer\n";
        assertEquals(new UsersFileCheck.Result(2, null), UsersFileCheck.check(file));
    }

    @Test
    void commentsBlankLinesForeignGroupsAndOlderHashesAreWhole() {
        String file = "# users of the gateway\n\nvisitor;" + HASH + ";other\r\nlegacy;{SSHA}c29tZXRoaW5nIHNhbHR5IGFuZCBvbGQ=\n"
                + "noroles;" + HASH + ";\n";
        UsersFileCheck.Result result = UsersFileCheck.check(file);
        assertTrue(result.whole(), result.problem());
        assertEquals(3, result.users());
    }

    @Test
    void anEmptyFileIsWholeAndHasNoUsers() {
        // Removing the last user must take effect too.
        assertEquals(new UsersFileCheck.Result(0, null), UsersFileCheck.check(""));
    }

    @Test
    void aDamagedLineMakesTheWholeFileBroken() {
        String good = "alice;" + HASH + ";viewer\n";
        assertProblem("line 2: expected user;hash;roles", good + "bob " + HASH + " viewer\n");
        assertProblem("line 2: expected user;hash;roles", good + "bob;" + HASH + ";viewer;admin\n");
        assertProblem("line 2: no user name", good + ";" + HASH + ";viewer\n");
        assertProblem("line 2: no user name", good + " bob;" + HASH + ";viewer\n");
        assertProblem("line 2: the password hash of bob is not {SSHA256} followed by base64", good + "bob;secret;viewer\n");
        assertProblem("line 2: the password hash of bob is not {SSHA256} followed by base64", good + "bob;{SSHA256}no*base64;viewer\n");
        assertProblem("line 2: the password hash of bob is not {SSHA256} followed by base64", good + "bob;{SSHA256}AAAA;viewer\n");
        assertProblem("line 2: alice appears twice", good + good);
    }

    @Test
    void problemsNeverRepeatTheHash() {
        UsersFileCheck.Result result = UsersFileCheck.check("bob;{SSHA256}c2VjcmV0;viewer");
        assertFalse(result.whole());
        assertFalse(result.problem().contains("c2VjcmV0"), result.problem());
    }

    private static void assertProblem(String problem, String file) {
        assertEquals(problem, UsersFileCheck.check(file).problem());
    }
}
