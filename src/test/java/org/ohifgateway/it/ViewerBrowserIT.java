package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.password;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The OHIF Viewer in Chromium through the gateway at "/" (src/test/e2e/viewer.test.mjs): login and
 * refused login, the study list against QIDO, the 170-slice MR series with scrolling, multi-frame
 * and JPEG 2000 instances decoded in the browser, a generated study, upload through OHIF's dialog
 * by an uploader and none for a viewer, all cross-origin isolated; the archive console (Orthanc
 * Explorer) as an admin browses, looks up and uploads in it; all without foreign or failed requests,
 * console errors or Content-Security-Policy violations; and the viewer settings of the build's
 * environment (pom.xml): title, data source name, default mode, study list page size, no tour and no
 * investigational use banner. On WildFly (it.server=wildfly) the suite's core only: login, the
 * study list, one generated study's image, and no upload for a viewer.
 */
@ExtendWith(SharedGateway.class)
class ViewerBrowserIT {

    @Test
    void radiologistsAndTechnologistsUseTheViewerThroughTheGateway() throws Exception {
        String gateway = SharedGateway.url();
        if (SharedGateway.SERVER.equals("wildfly")) {
            // The suite's core (login, study list, one image, no upload for a viewer): what the
            // server changes. The rest (sample studies, upload, archive console) runs on Payara only,
            // so that the second run stays short.
            BrowserSuite.run("wildfly", Map.of("GATEWAY_URL", gateway,
                    "VIEWER_USER", VIEWER, "VIEWER_PASSWORD", password(VIEWER),
                    "E2E_IMAGES", Json.createArrayBuilder().add(generatedStudy(gateway)).build().toString()));
            return;
        }
        JsonArrayBuilder images = Json.createArrayBuilder();

        Path samples = Path.of(System.getProperty("it.samples"));
        if (Files.isDirectory(samples)) {
            List<Path> mrSeries;
            try (Stream<Path> files = Files.list(samples.resolve("mr-series-philips-t1"))) {
                mrSeries = files.filter(file -> file.toString().endsWith(".dcm")).sorted().toList();
            }
            assertEquals(170, mrSeries.size());
            images.add(ItHelpers.image("MR series of 170 slices", store(gateway, mrSeries), true));
            images.add(ItHelpers.image("enhanced MR, 40 frames", store(gateway, List.of(samples.resolve("multiframe/1901_WIP_3DpCASL_real.dcm"))), true));
            images.add(ItHelpers.image("US multi-frame, JPEG baseline", store(gateway, List.of(samples.resolve("multiframe/examples_ybr_color.dcm"))), false));
            images.add(ItHelpers.image("MR, JPEG 2000 lossy", store(gateway, List.of(samples.resolve("compressed/MR2_J2KI.dcm"))), false));
            images.add(ItHelpers.image("CR, JPEG 2000 lossless", store(gateway, List.of(samples.resolve("single/RG3_J2KR.dcm"))), false));
        } else if ("true".equals(System.getenv("CI"))) {
            fail("the sample folder " + samples + " is required in CI");
        }
        images.add(generatedStudy(gateway));

        Path dir = Path.of(System.getProperty("it.e2e.dir"));
        Files.createDirectories(dir);
        byte[] upload = SyntheticStudies.ctSeries("browser-it-upload", 1, 64, 64).get(0);
        Path uploadFile = dir.resolve("upload.dcm");
        Files.write(uploadFile, upload);
        byte[] consoleUpload = SyntheticStudies.ctSeries("browser-it-console-upload", 1, 64, 64).get(0);
        Path consoleUploadFile = dir.resolve("console-upload.dcm");
        Files.write(consoleUploadFile, consoleUpload);

        BrowserSuite.run("full", Map.ofEntries(
                Map.entry("GATEWAY_URL", gateway),
                Map.entry("VIEWER_USER", VIEWER), Map.entry("VIEWER_PASSWORD", password(VIEWER)),
                Map.entry("UPLOADER_USER", UPLOADER), Map.entry("UPLOADER_PASSWORD", password(UPLOADER)),
                Map.entry("ADMIN_USER", ADMIN), Map.entry("ADMIN_PASSWORD", password(ADMIN)),
                Map.entry("E2E_IMAGES", images.build().toString()),
                Map.entry("E2E_UPLOAD_FILE", uploadFile.toString()),
                Map.entry("E2E_UPLOAD_STUDY", ItHelpers.uidOf(upload, "0020000D")),
                Map.entry("E2E_CONSOLE_UPLOAD_FILE", consoleUploadFile.toString()),
                Map.entry("E2E_CONSOLE_UPLOAD_STUDY", ItHelpers.uidOf(consoleUpload, "0020000D"))));
    }

    /** A generated 12-slice MR study, stored through the gateway. */
    private static JsonObject generatedStudy(String gateway) throws IOException, InterruptedException {
        SyntheticStudies.Series mr = SyntheticStudies.mr("browser-it", "BROWSER^Generated MR", "BROWSER-1", "20260101", 12, 128);
        return ItHelpers.image("generated MR study", ItHelpers.stored(gateway, mr.instances()), true);
    }

    /** Stores the files with STOW-RS through the gateway; returns the first. */
    private static byte[] store(String gateway, List<Path> files) throws IOException, InterruptedException {
        List<byte[]> instances = new ArrayList<>();
        for (Path file : files) {
            instances.add(Files.readAllBytes(file));
        }
        return ItHelpers.stored(gateway, instances);
    }
}
