package org.ohifgateway.pacs;

/**
 * Orthanc's DICOMweb plugin 1.7 answers WADO-URI image requests for JPEG (the default
 * contentType) with JPEG bytes labelled image/png; browsers and PACS clients that trust the
 * label then fail to decode. The label is set from what was asked for.
 */
public final class WadoUriContentType {

    private WadoUriContentType() {
    }

    /** @param requested the request's contentType parameter, or null */
    public static String corrected(String requested, String upstream) {
        boolean askedForJpeg = requested == null || requested.isBlank() || requested.trim().equalsIgnoreCase("image/jpeg");
        return askedForJpeg && upstream != null && upstream.trim().toLowerCase().startsWith("image/png")
                ? "image/jpeg" : upstream;
    }
}
