package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ReplacingOutputStreamTest {

    private static String rewrite(String input, String target, String replacement, int chunk) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ReplacingOutputStream out = new ReplacingOutputStream(sink, target.getBytes(StandardCharsets.UTF_8),
                replacement.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
            out.flush();
        }
        out.close();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rewritesOrthancUrlsInDicomJson() throws IOException {
        String json = "[{\"00081190\":{\"vr\":\"UR\",\"Value\":[\"http://gw:8080/pacs/studies/1.2.3\"]}},"
                + "{\"BulkDataURI\":\"http://gw:8080/pacs/studies/1.2.3/series/4/instances/5/bulk/7FE00010\"}]";
        String expected = json.replace("http://gw:8080/pacs/", "http://gw:8080/ohif/pacs/");
        for (int chunk : new int[] {1, 2, 7, 64, 100_000}) {
            assertEquals(expected, rewrite(json, "http://gw:8080/pacs/", "http://gw:8080/ohif/pacs/", chunk));
        }
    }

    @Test
    void partialAndOverlappingMatchesAreHandled() throws IOException {
        assertEquals("aaX", rewrite("aaaab", "aab", "X", 1));
        assertEquals("abaX", rewrite("abaabab", "abab", "X", 3));
        assertEquals("ab", rewrite("ab", "abc", "X", 1));
        assertEquals("XX", rewrite("abcabc", "abc", "X", 2));
        assertEquals("abab", rewrite("abab", "abc", "X", 1));
    }

    @Test
    void agreesWithStringReplaceOnRandomText() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                text.append("ab".charAt(random.nextInt(2)));
            }
            String target = "abba".substring(0, 2 + random.nextInt(3));
            assertEquals(text.toString().replace(target, "<>"), rewrite(text.toString(), target, "<>", 1 + random.nextInt(9)),
                    text + " / " + target);
        }
    }

    @Test
    void passesTextWithoutMatchesOnInRunsNotByteByByte() throws IOException {
        int[] writes = {0};
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                writes[0]++;
                sink.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writes[0]++;
                sink.write(bytes, offset, length);
            }
        };
        String url = "http://gw:8080/pacs/";
        String element = "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}},";
        String json = "[" + element.repeat(5_000) + "{\"00081190\":{\"vr\":\"UR\",\"Value\":[\"" + url + "1\"]}}]";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (ReplacingOutputStream out = new ReplacingOutputStream(counting, url.getBytes(StandardCharsets.UTF_8),
                "http://gw:8080/ohif/pacs/".getBytes(StandardCharsets.UTF_8))) {
            for (int i = 0; i < bytes.length; i += 65_536) {
                out.write(bytes, i, Math.min(65_536, bytes.length - i));
            }
        }
        assertEquals(json.replace(url, "http://gw:8080/ohif/pacs/"), sink.toString(StandardCharsets.UTF_8));
        // A run per 64 KiB block, plus at most three writes around each 'h' that might start the URL.
        long candidates = json.chars().filter(c -> c == 'h').count();
        assertTrue(writes[0] <= bytes.length / 65_536 + 3 * candidates + 10, writes[0] + " writes for " + bytes.length + " bytes");
    }
}
