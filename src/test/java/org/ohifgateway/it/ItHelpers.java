package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ohifgateway.it.GatewayStack.MONITOR;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.ohifgateway.metrics.ScrapedMetrics;
import org.ohifgateway.tools.demo.SyntheticStudies;

/** What several integration test classes do alike: read UIDs, store studies, find audit lines, read metrics. */
final class ItHelpers {

    private ItHelpers() {
    }

    /** Reads a UI element's value from a Part 10 file written by {@link SyntheticStudies} (explicit VR LE). */
    static String uidOf(byte[] part10, String tagHex) {
        int group = Integer.parseInt(tagHex.substring(0, 4), 16);
        int element = Integer.parseInt(tagHex.substring(4), 16);
        for (int i = 132; i + 8 < part10.length; i++) {
            if ((part10[i] & 0xff | (part10[i + 1] & 0xff) << 8) == group
                    && (part10[i + 2] & 0xff | (part10[i + 3] & 0xff) << 8) == element
                    && part10[i + 4] == 'U' && part10[i + 5] == 'I') {
                int length = part10[i + 6] & 0xff | (part10[i + 7] & 0xff) << 8;
                return new String(part10, i + 8, length).replace("\0", "").strip();
            }
        }
        throw new IllegalArgumentException("no UI element " + tagHex);
    }

    /** Stores the instances with STOW-RS through the gateway as the uploader (200 checked); returns the first. */
    static byte[] stored(String gateway, List<byte[]> instances) throws IOException, InterruptedException {
        Http.stowed(gateway, authorization(UPLOADER), instances);
        return instances.get(0);
    }

    /** The same with the caller's client; returns the gateway's answer. */
    static HttpResponse<byte[]> stored(HttpClient client, String gateway, List<byte[]> instances)
            throws IOException, InterruptedException {
        return Http.stowed(client, gateway, authorization(UPLOADER), instances);
    }

    /** An image for the browser suite (E2E_IMAGES): the study and series of its first instance. */
    static JsonObject image(String name, byte[] first, boolean scroll) {
        return Json.createObjectBuilder().add("name", name)
                .add("study", uidOf(first, "0020000D"))
                .add("series", uidOf(first, "0020000E"))
                .add("scroll", scroll).build();
    }

    /** The audit trail's line for a request, once the writer thread has written it. */
    static String awaitAuditLine(Path file, String requestId, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.contains("\"requestId\":\"" + requestId + "\"")) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no audit line for request " + requestId);
    }

    /** The gateway's metrics as the monitoring user scrapes them. */
    static ScrapedMetrics metrics(String gateway) throws IOException, InterruptedException {
        HttpResponse<byte[]> scraped = Http.get(gateway + "/metrics", authorization(MONITOR), "text/plain");
        assertEquals(200, scraped.statusCode(), Http.text(scraped));
        return new ScrapedMetrics(Http.text(scraped));
    }
}
