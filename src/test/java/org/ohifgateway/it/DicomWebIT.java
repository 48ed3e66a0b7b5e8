package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * DICOMweb through the gateway as against Orthanc directly. Every real sample file
 * (../shared/dicom-samples) and a generated study are stored with STOW-RS and read back: the
 * instance byte for byte as uploaded, metadata and frames identical to Orthanc's own answers.
 * Then the HTTP details: compression, HEAD, keep-alive, the transfer-syntax policy, WADO-URI.
 */
@ExtendWith(SharedGateway.class)
class DicomWebIT {

    private static final String DICOM_JSON = RoundTrip.DICOM_JSON;

    @TestFactory
    Stream<DynamicTest> realSampleFilesRoundTripThroughTheGateway() throws IOException {
        Path samples = Path.of(System.getProperty("it.samples"));
        return RoundTrip.sampleFiles(samples).stream().map(file -> DynamicTest.dynamicTest(
                samples.relativize(file).toString(), () -> roundTrip(Files.readAllBytes(file))));
    }

    @TestFactory
    Stream<DynamicTest> generatedStudiesRoundTripThroughTheGateway() {
        List<byte[]> slices = SyntheticStudies.ctSeries("dicomweb-it", 6, 128, 128);
        return Stream.iterate(0, i -> i < slices.size(), i -> i + 1)
                .map(i -> DynamicTest.dynamicTest("generated CT slice " + (i + 1), () -> roundTrip(slices.get(i))));
    }

    @Test
    void compressedMetadataPassesThroughUntouched() throws Exception {
        String gateway = SharedGateway.url();
        String series = store(SyntheticStudies.ctSeries("dicomweb-gzip", 8, 32, 32).get(0));
        String metadataPath = series.substring(0, series.indexOf("/instances/")) + "/metadata";
        HttpResponse<byte[]> zipped = Http.send(Http.request(gateway + "/pacs" + metadataPath)
                .header("Authorization", authorization(VIEWER)).header("Accept", DICOM_JSON)
                .header("Accept-Encoding", "gzip"));
        assertEquals(200, zipped.statusCode());
        assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
        byte[] plain = direct(gateway, metadataPath, DICOM_JSON).body();
        assertArrayEquals(plain, new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
                "one layer of gzip around exactly Orthanc's metadata");
        assertTrue(zipped.body().length < plain.length);
        assertEquals(List.of(), zipped.headers().allValues("Server"), "no Server banner, neither Orthanc's nor the container's");
        assertEquals(1, zipped.headers().allValues("Cache-Control").size(), "Cache-Control replaced, not appended");
    }

    @Test
    void headGivesTheHeadersOfGetWithoutABody() throws Exception {
        String gateway = SharedGateway.url();
        HttpResponse<byte[]> head = Http.send(Http.request(gateway + "/pacs/studies")
                .header("Authorization", authorization(VIEWER)).header("Accept", DICOM_JSON)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode(), "Orthanc itself answers HEAD with 404");
        assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith(DICOM_JSON));
        assertEquals(0, head.body().length);
        assertEquals(200, Http.get(gateway + "/pacs/studies", authorization(VIEWER), DICOM_JSON).statusCode(),
                "the connection cut short after HEAD does not disturb the next request");
    }

    @Test
    void requestsAfterOrthancsKeepAliveTimeoutStillSucceed() throws Exception {
        String gateway = SharedGateway.url();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, Http.get(gateway + "/pacs/studies?limit=1", authorization(VIEWER), DICOM_JSON).statusCode(),
                    "request " + i);
            Thread.sleep(2000);
        }
    }

    @Test
    void conversionsToOtherTransferSyntaxesAreRefusedWith406() throws Exception {
        String gateway = SharedGateway.url();
        String instance = store(SyntheticStudies.ctSeries("dicomweb-406", 1, 32, 32).get(0));
        for (String syntax : List.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2")) {
            HttpResponse<byte[]> refused = Http.get(gateway + "/pacs" + instance + "/frames/1", authorization(VIEWER),
                    "multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + syntax);
            assertEquals(406, refused.statusCode(), syntax);
            assertTrue(Http.text(refused).contains("transfer-syntax=*"), Http.text(refused));
        }
        assertEquals(200, Http.get(gateway + "/pacs" + instance + "/frames/1", authorization(VIEWER),
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1").statusCode());
    }

    @Test
    void wadoUriServesJpegLabelledAsJpegAndTheFileAsStored() throws Exception {
        String gateway = SharedGateway.url();
        byte[] file = SyntheticStudies.ctSeries("dicomweb-wado-uri", 1, 64, 64).get(0);
        String[] uids = store(file).replaceFirst("^/studies/", "").split("/(series|instances)/");
        String query = "/pacs/wado?requestType=WADO&studyUID=" + uids[0] + "&seriesUID=" + uids[1] + "&objectUID=" + uids[2];
        for (String contentType : List.of("", "&contentType=image/jpeg")) {
            HttpResponse<byte[]> jpeg = Http.get(gateway + query + contentType, authorization(VIEWER), null);
            assertEquals(200, jpeg.statusCode());
            assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElse(""), "no charset or other label");
            assertEquals((byte) 0xFF, jpeg.body()[0]);
            assertEquals((byte) 0xD8, jpeg.body()[1]);
        }
        HttpResponse<byte[]> png = Http.get(gateway + query + "&contentType=image/png", authorization(VIEWER), null);
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<byte[]> dicom = Http.get(gateway + query + "&contentType=application/dicom", authorization(VIEWER), null);
        assertArrayEquals(file, dicom.body());
    }

    /** Stores one instance through the gateway; returns its path below /pacs. */
    private static String store(byte[] file) throws IOException, InterruptedException {
        return RoundTrip.store(SharedGateway.url(), file);
    }

    /** OHIF's study list asks for the description with an encoded comma, which Orthanc alone would not split. */
    @Test
    void theStudyListGetsTheDescriptionsOhifAsksFor() throws Exception {
        String instance = store(SyntheticStudies.ctSeries("study-list-it", 1, 32, 32).get(0));
        String study = instance.split("/")[2];
        String json = Http.text(Http.get(SharedGateway.url() + "/pacs/studies?StudyInstanceUID=" + study
                + "&includefield=00081030%2C00080060", authorization(VIEWER), DICOM_JSON));
        assertTrue(json.contains("\"00081030\"") && json.contains("Synthetic head phantom CT"), json);
    }

    private static void roundTrip(byte[] file) throws IOException, InterruptedException {
        RoundTrip.check(SharedGateway.url(), GatewayStack.orthanc(), file);
    }

    /** Orthanc asked directly, told (as the gateway tells it) that the public host is the gateway. */
    private static HttpResponse<byte[]> direct(String gateway, String path, String accept)
            throws IOException, InterruptedException {
        return RoundTrip.direct(gateway, GatewayStack.orthanc(), "/pacs" + path, accept);
    }
}
