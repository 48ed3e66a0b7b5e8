package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * An instance stored with STOW-RS through a gateway and read back through it (DicomWebIT with one
 * Orthanc, ClusterIT through the load balancer): the instance byte for byte as uploaded, found by
 * QIDO-RS, its metadata and first frame identical to Orthanc's own answers.
 */
final class RoundTrip {

    static final String DICOM_JSON = "application/dicom+json";
    static final String INSTANCE_ACCEPT = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String FRAME_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final Pattern RETRIEVE_URL = Pattern.compile("\"(http://[^\"]+/pacs(/studies/[^\"]+/series/[^\"]+/instances/[^\"/]+))\"");

    private RoundTrip() {
    }

    /**
     * Every real sample file (../shared/dicom-samples), sorted; the tests are skipped without the
     * folder, except under CI=true, where its absence is a failure.
     */
    static List<Path> sampleFiles(Path samples) throws IOException {
        if (!Files.isDirectory(samples)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the sample folder " + samples + " is required in CI");
            }
            Assumptions.abort("no sample folder at " + samples);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(samples)) {
            walk.filter(path -> path.toString().endsWith(".dcm")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 170, "expected the sample set, found " + files.size() + " files");
        return files;
    }

    /** Stores one instance through the gateway; returns its path below /pacs. */
    static String store(String gateway, byte[] file) throws IOException, InterruptedException {
        HttpResponse<byte[]> stored = Http.stowed(gateway, authorization(UPLOADER), List.of(file));
        Matcher retrieve = RETRIEVE_URL.matcher(Http.text(stored));
        assertTrue(retrieve.find(), "STOW answer names the stored instance: " + Http.text(stored));
        assertTrue(retrieve.group(1).startsWith(gateway + "/pacs/"), "RetrieveURL points at the gateway: " + retrieve.group(1));
        return retrieve.group(2);
    }

    /** Stores the file through the gateway and reads it back through it, compared with what the Orthanc node answers. */
    static void check(String gateway, OrthancProcess orthanc, byte[] file) throws IOException, InterruptedException {
        String instance = store(gateway, file);

        HttpResponse<byte[]> whole = Http.get(gateway + "/pacs" + instance, authorization(VIEWER), INSTANCE_ACCEPT);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(file, onlyPart(whole), "the instance comes back byte for byte");

        String sop = instance.substring(instance.lastIndexOf('/') + 1);
        String qido = Http.text(Http.get(gateway + "/pacs/instances?SOPInstanceUID=" + sop, authorization(VIEWER), DICOM_JSON));
        assertTrue(qido.contains(sop), qido);

        HttpResponse<byte[]> metadata = Http.get(gateway + "/pacs" + instance + "/metadata", authorization(VIEWER), DICOM_JSON);
        assertEquals(200, metadata.statusCode());
        assertArrayEquals(direct(gateway, orthanc, "/pacs" + instance + "/metadata", DICOM_JSON).body(), metadata.body(),
                "metadata equals Orthanc's own answer for the gateway's address");
        assertFalse(Http.text(metadata).contains(":" + orthanc.httpPort() + "/"));

        HttpResponse<byte[]> frame = Http.get(gateway + "/pacs" + instance + "/frames/1", authorization(VIEWER), FRAME_ACCEPT);
        HttpResponse<byte[]> directFrame = direct(gateway, orthanc, "/pacs" + instance + "/frames/1", FRAME_ACCEPT);
        assertEquals(directFrame.statusCode(), frame.statusCode());
        if (frame.statusCode() == 200) {
            assertArrayEquals(onlyPart(directFrame), onlyPart(frame), "frame 1 equals Orthanc's");
        }
    }

    /** Orthanc asked directly, told (as the gateway tells it) that the public host is the gateway's. */
    static HttpResponse<byte[]> direct(String gateway, OrthancProcess orthanc, String path, String accept)
            throws IOException, InterruptedException {
        String host = gateway.replaceFirst("^http://", "");
        return Http.send(Http.request(orthanc.url() + path)
                .header("Accept", accept)
                .header("Forwarded", "host=" + host + ";proto=http"));
    }

    /** The one part of a multipart answer. */
    static byte[] onlyPart(HttpResponse<byte[]> response) {
        List<byte[]> parts = Multipart.parts(response.headers().firstValue("Content-Type").orElseThrow(), response.body());
        assertEquals(1, parts.size());
        return parts.get(0);
    }
}
