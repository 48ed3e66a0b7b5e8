package org.ohifgateway.pacs;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.RejectedRequest;

/**
 * The DICOMweb resources the gateway offers, as a grammar over the checked path segments.
 * Everything else under Orthanc's DICOMweb root (for instance {@code servers}, which makes
 * Orthanc fetch arbitrary URLs) is not reachable, and a UID is only ever a UID.
 */
public final class DicomWebRoutes {

    /** DICOM UID characters (PS3.5 9.1); leading zeros are tolerated because real archives hold them. */
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int UID_MAX = 64;
    private static final Pattern FRAME_LIST = Pattern.compile("[1-9][0-9]{0,8}(,[1-9][0-9]{0,8}){0,9999}");
    /** Bulk data of a tag, possibly inside a sequence item: tag (/item/tag)*. */
    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{8}");
    private static final Pattern ITEM = Pattern.compile("[0-9]{1,6}");
    private static final Set<String> INSTANCE_LEVEL = Set.of("metadata", "rendered");
    private static final List<String> READ = List.of("GET", "HEAD");
    private static final List<String> READ_AND_STORE = List.of("GET", "HEAD", "POST");

    private DicomWebRoutes() {
    }

    /** The kind of an allowed request; refuses everything else (404 unknown, 405 wrong method). */
    public static AccessKind check(String method, List<String> segments) throws RejectedRequest {
        AccessKind kind = resource(segments);
        if (READ.contains(method)) {
            return kind;
        }
        // STOW-RS stores into the archive or into one study.
        boolean storable = segments.get(0).equals("studies") && segments.size() <= 2;
        if (!storable || !"POST".equals(method)) {
            throw RejectedRequest.methodNotAllowed("Method not allowed on this DICOMweb resource.",
                    storable ? READ_AND_STORE : READ);
        }
        return AccessKind.STOW;
    }

    private static AccessKind resource(List<String> s) throws RejectedRequest {
        int n = s.size();
        if (n == 1 && s.get(0).equals("wado")) {
            return AccessKind.WADO_URI;
        }
        if (n == 1 && Set.of("studies", "series", "instances").contains(s.get(0))) {
            return AccessKind.QIDO;
        }
        if (n < 2 || !s.get(0).equals("studies") || !isUid(s.get(1))) {
            throw notFound();
        }
        if (n == 2) {
            return AccessKind.WADO_RS;
        }
        // studies/{study}/...
        if (n == 3) {
            return level(s.get(2), Set.of("series", "instances"));
        }
        if (!s.get(2).equals("series") || !isUid(s.get(3))) {
            throw notFound();
        }
        if (n == 4) {
            return AccessKind.WADO_RS;
        }
        if (n == 5) {
            return level(s.get(4), Set.of("instances"));
        }
        // studies/{study}/series/{series}/instances/{instance}/...
        if (!s.get(4).equals("instances") || !isUid(s.get(5))) {
            throw notFound();
        }
        if (n == 6 || n == 7 && INSTANCE_LEVEL.contains(s.get(6))) {
            return AccessKind.WADO_RS;
        }
        if (n >= 8 && s.get(6).equals("frames") && FRAME_LIST.matcher(s.get(7)).matches()
                && (n == 8 || n == 9 && s.get(8).equals("rendered"))) {
            return AccessKind.WADO_RS;
        }
        if (s.get(6).equals("bulk") && isBulkPath(s.subList(7, n))) {
            return AccessKind.WADO_RS;
        }
        throw notFound();
    }

    /** A study or series sub-resource: metadata and rendered are retrievals, the rest QIDO. */
    private static AccessKind level(String segment, Set<String> searchable) throws RejectedRequest {
        if (INSTANCE_LEVEL.contains(segment)) {
            return AccessKind.WADO_RS;
        }
        if (searchable.contains(segment)) {
            return AccessKind.QIDO;
        }
        throw notFound();
    }

    private static boolean isBulkPath(List<String> path) {
        if (path.size() % 2 == 0) {
            return false;
        }
        for (int i = 0; i < path.size(); i++) {
            if (!(i % 2 == 0 ? TAG : ITEM).matcher(path.get(i)).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isUid(String text) {
        return text.length() <= UID_MAX && UID.matcher(text).matches();
    }

    private static RejectedRequest notFound() {
        return new RejectedRequest(404, "Not a DICOMweb resource.");
    }
}
