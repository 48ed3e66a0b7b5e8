package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DicomWebRootDiagnosisTest {

    private static final String ORTHANC = "http://127.0.0.1:8042";

    private static String qido(String retrieveUrl) {
        return "[{\"00081190\":{\"vr\":\"UR\",\"Value\":[\"" + retrieveUrl + "\"]}}]";
    }

    @Test
    void urlsBuiltFromTheForwardedHostAreRight() {
        assertEquals(Optional.empty(), DicomWebRootDiagnosis.diagnose(ORTHANC, 200,
                qido("https://gateway-check.invalid/pacs/studies/1.2.3"), "/pacs/"));
    }

    @Test
    void anEmptyArchiveHasNothingToComplainAbout() {
        assertEquals(Optional.empty(), DicomWebRootDiagnosis.diagnose(ORTHANC, 200, "[]", "/pacs/"));
    }

    @Test
    void aFixedDicomWebHostIsNamed() {
        String warning = DicomWebRootDiagnosis.diagnose(ORTHANC, 200,
                qido("http://localhost:8042/pacs/studies/1.2.3"), "/pacs/").orElseThrow();
        assertTrue(warning.contains("\"Host\"") && warning.contains("\"Ssl\""), warning);
    }

    @Test
    void aWrongRootIsNamedWithTheSettingToUse() {
        String warning = DicomWebRootDiagnosis.diagnose(ORTHANC, 404, "", "/ohif/pacs/").orElseThrow();
        assertTrue(warning.contains("\"Root\": \"/ohif/pacs/\""), warning);
    }

    @Test
    void unreachableAndRefusedAreReported() {
        assertTrue(DicomWebRootDiagnosis.diagnose(ORTHANC, -1, "", "/pacs/").orElseThrow().contains("not reachable"));
        assertTrue(DicomWebRootDiagnosis.diagnose(ORTHANC, 401, "", "/pacs/").orElseThrow().contains("orthanc.username"));
        assertTrue(DicomWebRootDiagnosis.diagnose(ORTHANC, 500, "", "/pacs/").orElseThrow().contains("500"));
    }
}
