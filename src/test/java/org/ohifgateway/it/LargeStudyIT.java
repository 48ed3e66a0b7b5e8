package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * A study of several GB up through STOW-RS and back down through WADO-RS, with the gateway's
 * JVM limited to 256 MB of heap ({@link PayaraMicro}): only a gateway that streams both ways can
 * pass. Every instance's digest is checked on the way back, and the gateway's heap in use after
 * a full collection is read (jcmd) a quarter and nine tenths of the way through each direction:
 * it must not grow with the bytes that passed.
 */
@ExtendWith(SharedGateway.class)
class LargeStudyIT {

    private static final long TARGET_BYTES = Long.getLong("it.large.bytes", 2_200_000_000L);
    private static final int SIDE = 1024;
    private static final String BOUNDARY = Multipart.STOW_BOUNDARY;
    /** Allowed growth of the heap in use between a quarter and nine tenths of a transfer. */
    private static final long HEAP_GROWTH_LIMIT_MB = 32;

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

        List<Long> uploadHeap = Collections.synchronizedList(new ArrayList<>());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String gateway = SharedGateway.url();
        HttpResponse<String> stored = client.send(HttpRequest.newBuilder(java.net.URI.create(gateway + "/pacs/studies"))
                .timeout(Duration.ofMinutes(20))
                .header("Authorization", authorization(UPLOADER))
                .header("Origin", Http.originOf(gateway))
                .header("Content-Type", Multipart.STOW_CONTENT_TYPE)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> stowBody(series, uploadHeap)), length))
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
        List<Long> downloadHeap = new ArrayList<>();
        try (InputStream body = new HeapSampling(download.body(), length, downloadHeap)) {
            received = partDigests(body, boundary.group(1));
        }
        System.out.printf("large study: %d instances, %.2f GB up, down in %.1f s; gateway heap in use after GC"
                        + " at 1/4 and 9/10: up %s MB, down %s MB%n", series.size(), length / 1e9,
                (System.nanoTime() - started) / 1e9, uploadHeap, downloadHeap);
        assertHeapFlat("upload", uploadHeap);
        assertHeapFlat("download", downloadHeap);
        Collections.sort(expected);
        Collections.sort(received);
        assertEquals(expected, received, "every instance came back byte for byte");
    }

    private static byte[] partHeader() {
        return ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertHeapFlat(String direction, List<Long> megabytes) {
        assertEquals(2, megabytes.size(), direction + ": two heap readings");
        assertTrue(megabytes.get(1) <= megabytes.get(0) + HEAP_GROWTH_LIMIT_MB,
                direction + ": the gateway's heap grew with the body: " + megabytes + " MB");
    }

    /** The gateway JVM's heap in use after a full collection, in MB. */
    private static long gatewayHeapAfterGcMegabytes() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = Long.toString(SharedGateway.pid());
        jcmd(jcmd, pid, "GC.run");
        String info = jcmd(jcmd, pid, "GC.heap_info");
        Matcher used = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        assertTrue(used.find(), info);
        return Long.parseLong(used.group(1)) / 1024;
    }

    private static String jcmd(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the gateway's heap once a quarter and once nine tenths of the expected bytes have been read. */
    private static final class HeapSampling extends FilterInputStream {
        private final long expected;
        private final List<Long> readings;
        private long read;

        HeapSampling(InputStream in, long expected, List<Long> readings) {
            super(in);
            this.expected = expected;
            this.readings = readings;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            counted(Math.max(n, 0));
            return n;
        }

        private void counted(int n) {
            long before = read;
            read += n;
            for (long mark : new long[] {expected / 4, expected * 9 / 10}) {
                if (before < mark && read >= mark) {
                    readings.add(gatewayHeapAfterGcMegabytes());
                }
            }
        }
    }

    /** The STOW body, made one instance at a time as it is sent; the gateway's heap read on the way. */
    private static InputStream stowBody(SyntheticStudies.Series series, List<Long> heapReadings) {
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
                if (next == series.size() / 4 || next == series.size() * 9 / 10) {
                    heapReadings.add(gatewayHeapAfterGcMegabytes());
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
