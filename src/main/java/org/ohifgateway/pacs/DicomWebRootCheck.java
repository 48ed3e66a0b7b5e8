package org.ohifgateway.pacs;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;

/**
 * At start-up, asks Orthanc one QIDO question the way the gateway will and logs a clear
 * warning when Orthanc's settings would break the viewer (wrong DICOMweb root, absolute URLs
 * pointing at Orthanc instead of the gateway, refused credentials). Runs in the background so
 * a slow archive never delays deployment.
 */
@ApplicationScoped
public class DicomWebRootCheck {

    private static final Logger LOG = Logger.getLogger(DicomWebRootCheck.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    OrthancClient orthanc;
    @Inject
    DicomWebRoute route;

    void checkAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        Thread probe = new Thread(this::probe, "ohif-gateway-orthanc-check");
        probe.setDaemon(true);
        probe.start();
    }

    private void probe() {
        String root = route.orthancRoot();
        String publicRoot = route.publicRoot();
        if (!root.equals(publicRoot)) {
            LOG.info("Orthanc's DICOMweb root " + root + " differs from the gateway's public path " + publicRoot
                    + ": URLs in DICOMweb JSON answers are rewritten, and those answers reach clients uncompressed."
                    + " Set \"Root\": \"" + publicRoot + "\" in Orthanc's DicomWeb section to avoid both.");
        }
        // Each node: with several, every one of them must be set up alike.
        for (URI node : orthanc.nodes().all()) {
            probe(node, root);
        }
    }

    private void probe(URI node, String root) {
        String url = node.toString();
        int status = -1;
        String body = "";
        try {
            OrthancClient.Answer answer = orthanc.get(node, root + "studies?limit=1", new PublicOrigin(
                    DicomWebRootDiagnosis.PROBE_SCHEME, DicomWebRootDiagnosis.PROBE_HOST), "application/dicom+json", TIMEOUT);
            status = answer.status();
            body = answer.body();
        } catch (IOException e) {
            // reported as unreachable below
        }
        DicomWebRootDiagnosis.diagnose(url, status, body, root).ifPresentOrElse(
                LOG::warning,
                () -> LOG.info("Orthanc at " + url + " serves DICOMweb at " + root + " with gateway URLs."));
    }
}
