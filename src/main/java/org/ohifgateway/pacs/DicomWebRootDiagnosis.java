package org.ohifgateway.pacs;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Orthanc's answer to a probe QIDO request and says what is wrong with Orthanc's
 * settings for running behind the gateway, if anything.
 */
public final class DicomWebRootDiagnosis {

    /** Host sent in the probe's forwarding headers; Orthanc must write it into its URLs. */
    public static final String PROBE_HOST = "gateway-check.invalid";
    public static final String PROBE_SCHEME = "https";

    private static final Pattern ABSOLUTE_URL = Pattern.compile("https?://[^\"\\s]+");

    private DicomWebRootDiagnosis() {
    }

    /**
     * @param status HTTP status of the probe, or -1 when Orthanc could not be reached
     * @param body the probe's response body (QIDO studies JSON)
     * @param root Orthanc's DICOMweb root the gateway forwards to, e.g. {@code /pacs/}
     * @return a warning for the log, or empty when Orthanc is set up right
     */
    public static Optional<String> diagnose(String orthancUrl, int status, String body, String root) {
        if (status < 0) {
            return Optional.of("Orthanc is not reachable at " + orthancUrl
                    + "; DICOMweb requests will fail with 502 until it is.");
        }
        if (status == 401 || status == 403) {
            return Optional.of("Orthanc at " + orthancUrl + " refused the gateway (" + status
                    + "): set orthanc.username and orthanc.password to a user Orthanc accepts.");
        }
        if (status == 404) {
            return Optional.of("Orthanc at " + orthancUrl + " has no DICOMweb API at " + root
                    + ": install the DICOMweb plugin and set \"DicomWeb\": {\"Enable\": true, \"Root\": \""
                    + root + "\"} in Orthanc's configuration.");
        }
        if (status != 200) {
            return Optional.of("Orthanc at " + orthancUrl + " answered the DICOMweb probe with status " + status + ".");
        }
        String expected = PROBE_SCHEME + "://" + PROBE_HOST + root;
        Matcher url = ABSOLUTE_URL.matcher(body);
        while (url.find()) {
            if (!url.group().startsWith(expected)) {
                return Optional.of("Orthanc writes absolute DICOMweb URLs such as " + url.group()
                        + " instead of the gateway's public address: remove \"Host\" and \"Ssl\" from the"
                        + " \"DicomWeb\" section of Orthanc's configuration and keep \"Root\": \"" + root + "\".");
            }
        }
        return Optional.empty();
    }
}
