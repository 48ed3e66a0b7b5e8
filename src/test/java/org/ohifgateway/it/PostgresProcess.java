package org.ohifgateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL (Debian package postgresql) on a loopback port: its own cluster in a
 * temporary folder, trust logins from this machine only, one database for Orthanc. PostgreSQL
 * refuses to run as root, so as root its programs run as the system user postgres.
 */
final class PostgresProcess implements AutoCloseable {

    static final String DATABASE = "orthanc";
    static final String USER = "orthanc";

    private final Path dir;
    private final Path bin;
    private final int port;

    private PostgresProcess(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** A new cluster on the port with an empty database {@value #DATABASE} owned by {@value #USER}. */
    static PostgresProcess start(int port) throws IOException, InterruptedException {
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IOException("PostgreSQL is not installed (Debian: apt-get install postgresql)"));
        }
        // Below /tmp, which every user may enter, and owned by the user the server runs as.
        Path dir = Files.createTempDirectory("ohif-gateway-postgresql");
        PostgresProcess postgres = new PostgresProcess(dir, bin, port);
        if (asRoot()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        postgres.asServerUser("initdb", "-D", postgres.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync");
        postgres.asServerUser("pg_ctl", "-D", postgres.data(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start");
        run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-c", "CREATE USER " + USER, "-c", "CREATE DATABASE " + DATABASE + " OWNER " + USER));
        return postgres;
    }

    int port() {
        return port;
    }

    /** One value of a query on Orthanc's database, as psql prints it. */
    String query(String sql) throws IOException, InterruptedException {
        return run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql)).trim();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            asServerUser("pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop");
        } finally {
            GatewayStack.deleteTree(dir);
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private void asServerUser(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // pg_ctl's server keeps the output open; its own output ends when pg_ctl does.
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
