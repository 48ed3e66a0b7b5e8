package org.ohifgateway.tools.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WildFlyScriptTest {

    private static final List<String> CLI = List.of(
            "embed-server --server-config=standalone-microprofile.xml --std-out=discard",
            "batch",
            "# ${env.GATEWAY_PORT:8080} in a comment stays",
            "/socket-binding-group=standard-sockets/socket-binding=http:write-attribute(name=port, value=\"${env.GATEWAY_PORT:8080}\")",
            "/subsystem=elytron/key-store=k:add(path=\"${env.GATEWAY_KEYSTORE:${jboss.server.config.dir}/none.p12}\","
                    + " credential-reference={clear-text=\"${env.GATEWAY_KEYSTORE_PASSWORD:none}\"})",
            "run-batch",
            "stop-embedded-server");

    @Test
    void theSettingsBecomeTheDefaultsOfTheVariablesAndTheRealmJoinsTheBatch() {
        List<String> script = WildFlyScript.of(CLI, Map.of("GATEWAY_PORT", "9080", "GATEWAY_KEYSTORE_PASSWORD",
                "p@ss w0rd!$;`x'\"\\"), List.of("/subsystem=elytron/ldap-realm=r:add()"));
        assertEquals(List.of(CLI.get(0), CLI.get(1), CLI.get(2),
                "/socket-binding-group=standard-sockets/socket-binding=http:write-attribute(name=port, value=\"${env.GATEWAY_PORT:9080}\")",
                "/subsystem=elytron/key-store=k:add(path=\"${env.GATEWAY_KEYSTORE:${jboss.server.config.dir}/none.p12}\","
                        + " credential-reference={clear-text=\"${env.GATEWAY_KEYSTORE_PASSWORD:p@ss w0rd!$;`x'\\\"\\\\}\"})",
                "/subsystem=elytron/ldap-realm=r:add()",
                "run-batch", "stop-embedded-server"), script);
    }

    @Test
    void aValueWithABraceIsRefusedNamingItsVariable() {
        String message = assertThrows(IllegalArgumentException.class, () -> WildFlyScript.of(CLI,
                Map.of("GATEWAY_KEYSTORE_PASSWORD", "a}b"), List.of())).getMessage();
        assertTrue(message.startsWith("GATEWAY_KEYSTORE_PASSWORD holds a brace"), message);
    }

    @Test
    void theProjectsCliReadsEveryVariableTheSettingsGive() throws IOException {
        String cli = Files.readString(Path.of("deploy/wildfly/ohif-gateway.cli"));
        for (String variable : new ServerSettings(key -> java.util.Optional.empty()).wildFlyEnvironment().keySet()) {
            assertTrue(cli.contains("${env." + variable + ":"), variable);
        }
    }
}
