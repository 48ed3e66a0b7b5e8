package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PartHeaderRewritingOutputStreamTest {

    private static final String BOUNDARY = "7e6d2065-7779-4e8d";
    private static final String ORTHANC = "http://gw:8080/pacs/";
    private static final String PUBLIC = "http://gw:8080/ohif/pacs/";

    private static byte[] rewrite(byte[] body, int chunk) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PartHeaderRewritingOutputStream out = new PartHeaderRewritingOutputStream(sink, BOUNDARY,
                ORTHANC.getBytes(StandardCharsets.US_ASCII), PUBLIC.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length; i += chunk) {
            out.write(body, i, Math.min(chunk, body.length - i));
            out.flush();
        }
        out.close();
        return sink.toByteArray();
    }

    private static String part(String location, String content) {
        return "--" + BOUNDARY + "\r\nContent-Type: application/octet-stream\r\nContent-Location: " + location
                + "\r\n\r\n" + content + "\r\n";
    }

    @Test
    void rewritesContentLocationOfEveryPartButNeverTheContent() throws IOException {
        // The content holds the URL, and the boundary without a CRLF before it: neither is a header.
        String content = "pixels " + ORTHANC + "studies/1 --" + BOUNDARY + " \r\n-" + BOUNDARY;
        String body = part(ORTHANC + "studies/1/frames/1", content) + part(ORTHANC + "studies/1/frames/2", "\r\r\n")
                + "--" + BOUNDARY + "--\r\nepilogue " + ORTHANC;
        String expected = part(PUBLIC + "studies/1/frames/1", content) + part(PUBLIC + "studies/1/frames/2", "\r\r\n")
                + "--" + BOUNDARY + "--\r\nepilogue " + ORTHANC;
        for (int chunk : new int[] {1, 2, 3, 5, 17, 64, 1 << 20}) {
            assertEquals(expected, new String(rewrite(body.getBytes(StandardCharsets.US_ASCII), chunk),
                    StandardCharsets.US_ASCII), "chunk " + chunk);
        }
    }

    @Test
    void aPreambleAndPartsWithoutHeadersPassUnchanged() throws IOException {
        String body = "preamble " + ORTHANC + "\r\n--" + BOUNDARY + "\r\n\r\n" + ORTHANC + "\r\n--" + BOUNDARY + "--";
        assertEquals(body, new String(rewrite(body.getBytes(StandardCharsets.US_ASCII), 4), StandardCharsets.US_ASCII));
    }

    @Test
    void binaryContentWithoutDelimitersPassesByteForByte() throws IOException {
        Random random = new Random(7);
        byte[] pixels = new byte[300_000];
        random.nextBytes(pixels);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Location: " + ORTHANC + "x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        int headerLength = body.size();
        body.writeBytes(pixels);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] out = rewrite(body.toByteArray(), 1 + random.nextInt(9000));
        int shift = PUBLIC.length() - ORTHANC.length();
        assertEquals(body.size() + shift, out.length);
        byte[] passedPixels = new byte[pixels.length];
        System.arraycopy(out, headerLength + shift, passedPixels, 0, pixels.length);
        assertArrayEquals(pixels, passedPixels);
    }

    @Test
    void anOversizedHeaderBlockIsPassedOnUnchanged() throws IOException {
        String body = "--" + BOUNDARY + "\r\nContent-Location: " + ORTHANC + "\r\nX-Padding: " + "p".repeat(20_000)
                + "\r\n\r\ncontent\r\n--" + BOUNDARY + "--";
        assertEquals(body, new String(rewrite(body.getBytes(StandardCharsets.US_ASCII), 100), StandardCharsets.US_ASCII));
    }
}
