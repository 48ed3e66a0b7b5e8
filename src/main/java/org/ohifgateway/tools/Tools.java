package org.ohifgateway.tools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.ohifgateway.tools.demo.DemoDirectory;
import org.ohifgateway.tools.demo.DemoLoader;
import org.ohifgateway.tools.start.StartCommand;
import org.ohifgateway.tools.users.UsersCommand;

/** Entry point of ohif-gateway-tools.jar: {@code start}, {@code check}, {@code wildfly-setup}, {@code users ...}, {@code demo ...} and {@code demo-directory ...}. */
public final class Tools {

    private Tools() {
    }

    public static void main(String[] args) {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        String command = args.length == 0 ? "" : args[0];
        int exit = switch (command) {
            case "users" -> UsersCommand.run(rest,
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    System.console(), System.out, System.err);
            case "demo" -> DemoLoader.run(rest, System.out, System.err);
            case "demo-directory" -> DemoDirectory.run(rest, System.out, System.err);
            case "check" -> StartCommand.check(rest, System.getenv(), System.out, System.err);
            case "start" -> StartCommand.start(rest, System.getenv(), System.out, System.err);
            case "wildfly-setup" -> StartCommand.wildFlySetup(rest, System.getenv(), System.out, System.err);
            default -> {
                System.err.println("usage: java -jar ohif-gateway-tools.jar start [--war FILE] | check | wildfly-setup | users --help | demo [--orthanc URL]"
                        + " | demo-directory --dir DIR");
                yield 2;
            }
        };
        System.exit(exit);
    }
}
