package org.ohifgateway.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohifgateway.config.Secrets;
import org.ohifgateway.tools.start.RealmCommands;

class DemoDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void theDemoSettingsMakeARealmThatGivesEachGroupItsRole() throws Exception {
        Files.writeString(dir.resolve("bind-password"), "secret\n");
        Map<String, String> settings = DemoDirectory.settings("ldaps://127.0.0.1:6360", dir.resolve("ca.p12"), dir);
        // The trust store is checked by opening it: the realm's own tests do that.
        settings.remove("gateway.ldap.trust-store");
        settings.remove("gateway.ldap.trust-store-password-file");

        String command = RealmCommands.from(Secrets.fromFiles(key -> Optional.ofNullable(settings.get(key)))
                .andThen(value -> value.orElse(null))).postBootCommands().get(0);

        assertTrue(command.contains("group-mapping=pacs-readers->viewer;pacs-uploaders->uploader;pacs-admins->admin;"
                + "pacs-monitoring->monitor"), command);
        assertTrue(command.contains("search-bind-password=secret"), "the bind password comes from its file");
    }

    @Test
    void eachDemoUserIsTheOnlyMemberOfTheGroupOfItsRole() {
        String ldif = DemoDirectory.ldif(Map.of("viewer", "v", "uploader", "u", "admin", "a", "monitor", "m"), "b");

        DemoDirectory.GROUP_OF_ROLE.forEach((user, group) -> {
            String entry = ldif.substring(ldif.indexOf("dn: cn=" + group + ","));
            entry = entry.substring(0, entry.indexOf("\n\n") < 0 ? entry.length() : entry.indexOf("\n\n"));
            assertEquals(1, entry.split("member: ", -1).length - 1, entry);
            assertTrue(entry.contains("member: uid=" + user + ",ou=people,dc=hospital,dc=example"), entry);
        });
    }
}
