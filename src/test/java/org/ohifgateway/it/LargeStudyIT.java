package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * A study of several GB up through STOW-RS and back down through WADO-RS, with the gateway's
 * JVM limited to 256 MB of heap (arquillian.xml): only a gateway that streams both ways can
 * pass. Every instance's digest is checked on the way back.
 */
@ExtendWith({GatewayStack.class, ArquillianExtension.class})
@RunAsClient
class LargeStudyIT {

    private static final long TARGET_BYTES = Long.getLong("it.large.bytes", 2_200_000_000L);
    private static final int SIDE = 1024;
    private static final String BOUNDARY = Multipart.STOW_BOUNDARY;

    @Deployment(testable = false)
    static WebArchive packagedWar() {
        return GatewayStack.packagedWar();
    }

    @ArquillianResource
    private URL deployment;

    @Test
    void aMultiGigabyteStudyStreamsUpAndDownThroughA256MegabyteGateway() throws Exception {
        SyntheticStudies.Series series = SyntheticStudies.ct("large-study-it", "TEST^Large study", "TEST-LARGE",
                "20240601", (int) (TARGET_BYTES / (SIDE * SIDE * 2)) + 1, SIDE, SIDE);
        List<String> expected = new ArrayList<>();
        long length = 0;
        for (int i = 0; i < series.size(); i++) {
            byte[] instance = series.instance().apply(i);
            expected.add(sha256(instance));
            length += partHeader().length + instance.length + 2;
        }
        length += ("--" + BOUNDARY + "--\r\n").length();
        assertTrue(length > 2_000_000_000L, "a multi-GB body: " + length);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String gateway = GatewayStack.loopback(deployment);
        HttpResponse<String> stored = client.send(HttpRequest.newBuilder(java.net.URI.create(gateway + "/pacs/studies"))
                .timeout(Duration.ofMinutes(20))
                .header("Authorization", authorization(UPLOADER))
                .header("Origin", Http.originOf(gateway))
                .header("Content-Type", Multipart.STOW_CONTENT_TYPE)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> stowBody(series)), length))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body().length() > 500 ? stored.body().substring(0, 500) : stored.body());

        Matcher study = Pattern.compile("/pacs/studies/([0-9.]+)").matcher(stored.body());
        assertTrue(study.find());
        long started = System.nanoTime();
        HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(
                        java.net.URI.create(gateway + "/pacs/studies/" + study.group(1)))
                .timeout(Duration.ofMinutes(20))
                .header("Authorization", authorization(VIEWER))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        String contentType = download.headers().firstValue("Content-Type").orElseThrow();
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        assertTrue(boundary.find(), contentType);
        List<String> received;
        try (InputStream body = download.body()) {
            received = partDigests(body, boundary.group(1));
        }
        System.out.printf("large study: %d instances, %.2f GB up, down in %.1f s%n", series.size(), length / 1e9,
                (System.nanoTime() - started) / 1e9);
        Collections.sort(expected);
        Collections.sort(received);
        assertEquals(expected, received, "every instance came back byte for byte");
    }

    private static byte[] partHeader() {
        return ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The STOW body, made one instance at a time as it is sent. */
    private static InputStream stowBody(SyntheticStudies.Series series) {
        return new SequenceInputStream(new Enumeration<InputStream>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next <= series.size();
            }

            @Override
            public InputStream nextElement() {
                if (next == series.size()) {
                    next++;
                    return new ByteArrayInputStream(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                ByteArrayOutputStream part = new ByteArrayOutputStream();
                part.writeBytes(partHeader());
                part.writeBytes(series.instance().apply(next++));
                part.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                return new ByteArrayInputStream(part.toByteArray());
            }
        });
    }

    /** SHA-256 of each part's payload, read as a stream. */
    static List<String> partDigests(InputStream raw, String boundary) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<String> digests = new ArrayList<>();
        String first = readLine(in);
        assertEquals("--" + boundary, first);
        while (true) {
            while (!readLine(in).isEmpty()) {
                // part headers
            }
            MessageDigest digest = sha256();
            int matched = 0;
            while (matched < delimiter.length) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("body ended inside a part");
                }
                if (c == (delimiter[matched] & 0xff)) {
                    matched++;
                } else {
                    digest.update(delimiter, 0, matched);
                    // The delimiter starts with CR, which occurs nowhere else in it.
                    matched = c == '\r' ? 1 : 0;
                    if (matched == 0) {
                        digest.update((byte) c);
                    }
                }
            }
            digests.add(HexFormat.of().formatHex(digest.digest()));
            int a = in.read();
            int b = in.read();
            if (a == '-' && b == '-') {
                return digests;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
