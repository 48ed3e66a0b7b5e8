package org.ohifgateway.it;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A real Orthanc started through bin/orthanc-local on loopback ports, with its own data folder. */
public final class OrthancProcess {

    private static final Pattern REQUEST_LINE = Pattern.compile("\\(http\\) ([A-Z]+ \\S*)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final Path dir;
    private final int httpPort;
    private final int dicomPort;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    public OrthancProcess(Path dir, int httpPort, int dicomPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int dicomPort() {
        return dicomPort;
    }

    /** Variables for bin/orthanc-local (such as ORTHANC_STABLE_AGE), read at each start. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Where Orthanc keeps its database and files. */
    public Path database() {
        return dir.resolve("db");
    }

    public Path log() {
        return dir.resolve("orthanc.log");
    }

    /** The "METHOD /path" of every HTTP request Orthanc logged, from a byte offset of its log on. */
    public List<String> requestsSince(long logOffset) throws IOException {
        byte[] log = Files.readAllBytes(log());
        String text = new String(log, (int) Math.min(logOffset, log.length), (int) Math.max(0, log.length - logOffset),
                StandardCharsets.UTF_8);
        List<String> requests = new ArrayList<>();
        Matcher line = REQUEST_LINE.matcher(text);
        while (line.find()) {
            requests.add(line.group(1));
        }
        return requests;
    }

    /**
     * A call of Orthanc's own REST API, as a modality, a script or another node's user makes it, not
     * through the gateway; the body is bytes (a DICOM file) or text (JSON), or null. Checks 200.
     */
    public String rest(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(60)).method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new AssertionError(method + " " + url() + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    /** Orthanc's id of the resource with this UID. */
    public String idOf(String uid) throws IOException, InterruptedException {
        return Json.createReader(new StringReader(rest("POST", "/tools/lookup", uid))).readArray()
                .getJsonObject(0).getString("ID");
    }

    /** The SOP Instance UIDs of a series' instances as this node finds them in its database. */
    public Set<String> sopInstanceUidsOf(String seriesUid) throws IOException, InterruptedException {
        JsonObject find = Json.createObjectBuilder().add("Level", "Instance").add("Expand", true)
                .add("Query", Json.createObjectBuilder().add("SeriesInstanceUID", seriesUid)).build();
        return Json.createReader(new StringReader(rest("POST", "/tools/find", find))).readArray().stream()
                .map(instance -> instance.asJsonObject().getJsonObject("MainDicomTags").getString("SOPInstanceUID"))
                .collect(Collectors.toSet());
    }

    public long logSize() throws IOException {
        return Files.size(log());
    }

    public synchronized void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bin/orthanc-local", dir.toString(),
                Integer.toString(httpPort), Integer.toString(dicomPort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        // Every HTTP request Orthanc receives is logged, so tests can see what reached it.
        builder.environment().put("ORTHANC_OPTIONS", "--verbose-http");
        builder.environment().putAll(environment);
        process = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Orthanc exited with " + process.exitValue() + "; see " + log());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/system"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("Orthanc did not answer on " + url() + " within 30 s");
    }

    /** Kills Orthanc at once (SIGKILL), as a crash or a pulled plug would stop it. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
