package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * Every real sample file (../shared/dicom-samples) and a generated study, stored through the
 * gateway with STOW-RS and read back through it: the instance byte for byte as uploaded, and
 * metadata and frames identical to what Orthanc gives directly.
 */
@ExtendWith({GatewayStack.class, ArquillianExtension.class})
@RunAsClient
class DicomSamplesIT {

    private static final String DICOM_JSON = "application/dicom+json";
    private static final String INSTANCE_ACCEPT = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String FRAME_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final Pattern RETRIEVE_URL = Pattern.compile("\"(http://[^\"]+/pacs(/studies/[^\"]+/series/[^\"]+/instances/[^\"/]+))\"");

    @Deployment(testable = false)
    static WebArchive packagedWar() {
        return ShrinkWrap.create(ZipImporter.class, "ohif-gateway.war")
                .importFrom(new File(System.getProperty("it.war"))).as(WebArchive.class);
    }

    @ArquillianResource
    private URL deployment;

    @TestFactory
    Stream<DynamicTest> realSampleFilesRoundTripThroughTheGateway() throws IOException {
        Path samples = Path.of(System.getProperty("it.samples"));
        if (!Files.isDirectory(samples)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the sample folder " + samples + " is required in CI");
            }
            org.junit.jupiter.api.Assumptions.abort("no sample folder at " + samples);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(samples)) {
            walk.filter(path -> path.toString().endsWith(".dcm")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 170, "expected the sample set, found " + files.size() + " files");
        return files.stream().map(file -> DynamicTest.dynamicTest(samples.relativize(file).toString(),
                () -> roundTrip(Files.readAllBytes(file))));
    }

    @TestFactory
    Stream<DynamicTest> generatedStudiesRoundTripThroughTheGateway() {
        List<byte[]> slices = SyntheticStudies.ctSeries("dicom-samples-it", 6, 128, 128);
        return Stream.iterate(0, i -> i < slices.size(), i -> i + 1)
                .map(i -> DynamicTest.dynamicTest("generated CT slice " + (i + 1), () -> roundTrip(slices.get(i))));
    }

    private void roundTrip(byte[] file) throws IOException, InterruptedException {
        String gateway = GatewayStack.loopback(deployment);
        HttpResponse<byte[]> stored = Http.send(Http.request(gateway + "/pacs/studies")
                .header("Authorization", authorization(UPLOADER))
                .header("Content-Type", Multipart.STOW_CONTENT_TYPE)
                .header("Accept", DICOM_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.stowBody(List.of(file)))));
        assertEquals(200, stored.statusCode(), Http.text(stored));
        Matcher retrieve = RETRIEVE_URL.matcher(Http.text(stored));
        assertTrue(retrieve.find(), "STOW answer names the stored instance: " + Http.text(stored));
        assertTrue(retrieve.group(1).startsWith(gateway + "/pacs/"), "RetrieveURL points at the gateway: " + retrieve.group(1));
        String instance = retrieve.group(2);

        HttpResponse<byte[]> whole = Http.get(gateway + "/pacs" + instance, authorization(VIEWER), INSTANCE_ACCEPT);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(file, onlyPart(whole), "the instance comes back byte for byte");

        String sop = instance.substring(instance.lastIndexOf('/') + 1);
        String qido = Http.text(Http.get(gateway + "/pacs/instances?SOPInstanceUID=" + sop, authorization(VIEWER), DICOM_JSON));
        assertTrue(qido.contains(sop), qido);

        HttpResponse<byte[]> metadata = Http.get(gateway + "/pacs" + instance + "/metadata", authorization(VIEWER), DICOM_JSON);
        assertEquals(200, metadata.statusCode());
        assertArrayEquals(direct(gateway, instance + "/metadata", DICOM_JSON).body(), metadata.body(),
                "metadata equals Orthanc's own answer for the gateway's address");
        assertFalse(Http.text(metadata).contains(":" + GatewayStack.orthanc().httpPort() + "/"));

        HttpResponse<byte[]> frame = Http.get(gateway + "/pacs" + instance + "/frames/1", authorization(VIEWER), FRAME_ACCEPT);
        HttpResponse<byte[]> directFrame = direct(gateway, instance + "/frames/1", FRAME_ACCEPT);
        assertEquals(directFrame.statusCode(), frame.statusCode());
        if (frame.statusCode() == 200) {
            assertArrayEquals(onlyPart(directFrame), onlyPart(frame), "frame 1 equals Orthanc's");
        }
    }

    /** Orthanc asked directly, told (as the gateway tells it) that the public host is the gateway. */
    private static HttpResponse<byte[]> direct(String gateway, String path, String accept)
            throws IOException, InterruptedException {
        String host = gateway.replaceFirst("^http://", "");
        return Http.send(Http.request(GatewayStack.orthanc().url() + "/pacs" + path)
                .header("Accept", accept)
                .header("Forwarded", "host=" + host + ";proto=http"));
    }

    private static byte[] onlyPart(HttpResponse<byte[]> response) {
        List<byte[]> parts = Multipart.parts(response.headers().firstValue("Content-Type").orElseThrow(), response.body());
        assertEquals(1, parts.size());
        return parts.get(0);
    }
}
