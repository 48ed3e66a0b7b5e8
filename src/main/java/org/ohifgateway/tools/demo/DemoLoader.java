package org.ohifgateway.tools.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * {@code demo [--orthanc URL]}: stores the synthetic demo studies in Orthanc through its REST
 * API, showing progress. Orthanc credentials, if it needs any, come from ORTHANC_USERNAME and
 * ORTHANC_PASSWORD. Loading twice stores nothing new (the UIDs are fixed).
 */
public final class DemoLoader {

    private DemoLoader() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String orthanc = "http://127.0.0.1:8042";
        if (args.length == 2 && args[0].equals("--orthanc")) {
            orthanc = args[1].replaceAll("/+$", "");
        } else if (args.length != 0) {
            err.println("usage: demo [--orthanc URL]");
            return 2;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String authorization = authorization();
        List<SyntheticStudies.Series> studies = SyntheticStudies.demo();
        int total = 0;
        try {
            for (SyntheticStudies.Series series : studies) {
                for (int i = 0; i < series.size(); i++) {
                    store(client, orthanc, authorization, series.instance().apply(i));
                    total++;
                    if ((i + 1) % 16 == 0 || i + 1 == series.size()) {
                        out.printf("  %-18s %3d/%d%n", series.description(), i + 1, series.size());
                    }
                }
            }
        } catch (IOException e) {
            err.println("demo: cannot store in Orthanc at " + orthanc + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.printf("  %d studies, %d instances in Orthanc%n", studies.size(), total);
        return 0;
    }

    private static void store(HttpClient client, String orthanc, String authorization, byte[] part10)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orthanc + "/instances"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(part10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException closedKeepAlive) {
            // Orthanc drops idle keep-alive connections after a second; storing twice is harmless.
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " " + response.body().strip());
        }
    }

    private static String authorization() {
        String user = System.getenv("ORTHANC_USERNAME");
        if (user == null || user.isEmpty()) {
            return null;
        }
        String password = System.getenv().getOrDefault("ORTHANC_PASSWORD", "");
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
