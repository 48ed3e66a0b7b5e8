package org.ohifgateway.pacs;

import java.util.List;
import java.util.Set;

import org.ohifgateway.security.RejectedRequest;

/**
 * The DICOMweb resources the gateway offers. Everything else under Orthanc's DICOMweb root
 * (for instance {@code servers}, which makes Orthanc fetch arbitrary URLs) is not reachable.
 */
public final class DicomWebRoutes {

    private static final Set<String> RESOURCES = Set.of("studies", "series", "instances", "wado");
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");

    private DicomWebRoutes() {
    }

    public static void check(String method, List<String> segments) throws RejectedRequest {
        if (segments.isEmpty() || !RESOURCES.contains(segments.get(0))) {
            throw new RejectedRequest(404, "Not a DICOMweb resource.");
        }
        if (READ_METHODS.contains(method)) {
            return;
        }
        boolean stow = "POST".equals(method) && segments.get(0).equals("studies") && segments.size() <= 2;
        if (!stow) {
            throw new RejectedRequest(405, "Method not allowed on this DICOMweb resource.");
        }
    }
}
