package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Small HTTP helpers for the integration tests (JDK client, HTTP/1.1, no redirects followed). */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    }

    /**
     * A STOW-RS request to the gateway's /pacs/studies as a browser page of the gateway sends it
     * (the gateway refuses changes without its own Origin); the caller adds the body.
     */
    public static HttpRequest.Builder stow(String gateway, String authorization) {
        return request(gateway + "/pacs/studies")
                .header("Authorization", authorization)
                .header("Origin", originOf(gateway))
                .header("Content-Type", Multipart.STOW_CONTENT_TYPE)
                .header("Accept", "application/dicom+json");
    }

    /** Stores the instances with STOW-RS through the gateway and checks Orthanc took them (200). */
    public static HttpResponse<byte[]> stowed(String gateway, String authorization, List<byte[]> instances)
            throws IOException, InterruptedException {
        return stowed(CLIENT, gateway, authorization, instances);
    }

    /** The same with the caller's client (another HTTP version, its own TLS trust). */
    public static HttpResponse<byte[]> stowed(HttpClient client, String gateway, String authorization,
            List<byte[]> instances) throws IOException, InterruptedException {
        HttpResponse<byte[]> stored = client.send(stow(gateway, authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.stowBody(instances))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, stored.statusCode(), text(stored));
        return stored;
    }

    /** scheme://host:port of a URL. */
    public static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    public static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static HttpResponse<byte[]> get(String url, String authorization, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return send(request);
    }

    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
