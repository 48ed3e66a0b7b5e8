package org.ohifgateway.tools.start;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jboss-cli script wildfly-setup runs: deploy/wildfly/ohif-gateway.cli with the settings'
 * values as the defaults of the variables it reads at each boot ({@code ${env.GATEWAY_PORT:8080}}
 * becomes {@code ${env.GATEWAY_PORT:8443}}, so a variable set at boot still wins, as the
 * environment wins over the settings file), and the realm's operations added to its batch.
 */
final class WildFlyScript {

    private static final String VARIABLE = "${env.";

    private WildFlyScript() {
    }

    /**
     * @param cli        the lines of ohif-gateway.cli
     * @param defaults   values by variable name (GATEWAY_PORT)
     * @param operations added before the batch runs
     */
    static List<String> of(List<String> cli, Map<String, String> defaults, List<String> operations) {
        List<String> script = new ArrayList<>();
        for (String line : cli) {
            if (line.equals("run-batch")) {
                script.addAll(operations);
            }
            script.add(line.startsWith("#") ? line : withDefaults(line, defaults));
        }
        if (!script.contains("run-batch")) {
            throw new IllegalStateException("ohif-gateway.cli has no run-batch line");
        }
        return script;
    }

    private static String withDefaults(String line, Map<String, String> defaults) {
        StringBuilder result = new StringBuilder(line.length());
        int from = 0;
        for (int start = line.indexOf(VARIABLE); start >= 0; start = line.indexOf(VARIABLE, from)) {
            int colon = line.indexOf(':', start);
            int end = closingBrace(line, start + 2);
            String name = line.substring(start + VARIABLE.length(), colon);
            result.append(line, from, start);
            if (defaults.containsKey(name)) {
                result.append(VARIABLE).append(name).append(':').append(escaped(name, defaults.get(name))).append('}');
            } else {
                result.append(line, start, end + 1);
            }
            from = end + 1;
        }
        return result.append(line.substring(from)).toString();
    }

    /** The brace closing the expression opened before {@code from}, counting nested ones. */
    private static int closingBrace(String line, int from) {
        int depth = 1;
        for (int i = from; i < line.length(); i++) {
            depth += line.charAt(i) == '{' ? 1 : line.charAt(i) == '}' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unclosed expression in ohif-gateway.cli: " + line);
    }

    /**
     * A default inside jboss-cli's quotes and WildFly's expression, where "$" stays as it is
     * (measured with WildFly 38): backslashes and quotes escaped for jboss-cli; a brace would
     * end the expression or start another.
     */
    private static String escaped(String name, String value) {
        if (value.contains("{") || value.contains("}")) {
            throw new IllegalArgumentException(name + " holds a brace, which WildFly's configuration cannot take from the"
                    + " settings file: give it in the server's environment instead");
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
