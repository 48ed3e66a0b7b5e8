package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DirectoryClientTest {

    @Test
    void theNameIsEscapedAsTheRealmEscapesItSoBothFindTheSameEntry() {
        assertEquals("(uid=alice)", DirectoryClient.userFilter("(uid=%s)", "alice"));
        assertEquals("(|(sAMAccountName=a\\2a)(userPrincipalName=a\\2a))",
                DirectoryClient.userFilter("(|(sAMAccountName=%s)(userPrincipalName=%s))", "a*"));
        assertEquals("(uid=\\28x\\29\\5c\\00 Ärzte)", DirectoryClient.userFilter("(uid=%s)", "(x)\\\0 Ärzte"));
    }
}
