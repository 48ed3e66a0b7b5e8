package org.ohifgateway.pacs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Logger;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import org.ohifgateway.config.GatewayConfig;

/**
 * At start-up, asks Orthanc one QIDO question the way the gateway will and logs a clear
 * warning when Orthanc's settings would break the viewer (wrong DICOMweb root, absolute URLs
 * pointing at Orthanc instead of the gateway, refused credentials). Runs in the background so
 * a slow archive never delays deployment.
 */
@WebListener
public class DicomWebRootCheck implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(DicomWebRootCheck.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        GatewayConfig config = GatewayConfig.fromMicroProfile();
        String contextPath = event.getServletContext().getContextPath();
        Thread probe = new Thread(() -> probe(config, contextPath), "ohif-gateway-orthanc-check");
        probe.setDaemon(true);
        probe.start();
    }

    private static void probe(GatewayConfig config, String contextPath) {
        String orthanc = config.orthancUrl().toString();
        String root = config.dicomWebRoot(contextPath);
        int status = -1;
        String body = "";
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orthanc + root + "studies?limit=1"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Accept", "application/dicom+json")
                    .header("Forwarded", "host=" + DicomWebRootDiagnosis.PROBE_HOST
                            + ";proto=" + DicomWebRootDiagnosis.PROBE_SCHEME)
                    .header("X-Forwarded-Host", DicomWebRootDiagnosis.PROBE_HOST)
                    .header("X-Forwarded-Proto", DicomWebRootDiagnosis.PROBE_SCHEME);
            config.orthancAuthorization().ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            body = response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // reported as unreachable below
        }
        String publicRoot = contextPath + "/pacs/";
        if (!root.equals(publicRoot)) {
            LOG.info("Orthanc's DICOMweb root " + root + " differs from the gateway's public path " + publicRoot
                    + ": URLs in DICOMweb JSON answers are rewritten, and those answers reach clients uncompressed."
                    + " Set \"Root\": \"" + publicRoot + "\" in Orthanc's DicomWeb section to avoid both.");
        }
        DicomWebRootDiagnosis.diagnose(orthanc, status, body, root).ifPresentOrElse(
                LOG::warning,
                () -> LOG.info("Orthanc at " + orthanc + " serves DICOMweb at " + root + " with gateway URLs."));
    }
}
