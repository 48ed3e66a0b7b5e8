package org.ohifgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Outside Payara (here: a plain JVM, as on WildFly) the realm says why in one sentence and nothing fails. */
class PayaraFileRealmTest {

    @Test
    void onAnotherServerTheRealmSaysWhyNotInsteadOfFailing() {
        PayaraFileRealm realm = new PayaraFileRealm();
        String why = "this server is not Payara (no com.sun.enterprise.security.auth.realm.Realm);"
                + " its own realm decides when changes to users take effect";
        assertEquals(why, assertThrows(ServerRealm.RealmException.class, realm::usersFile).getMessage());
        assertEquals(why, assertThrows(ServerRealm.RealmException.class, realm::reload).getMessage());
    }
}
