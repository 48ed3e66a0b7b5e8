package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WadoUriContentTypeTest {

    @Test
    void jpegAnswersLabelledPngAreRelabelled() {
        assertEquals("image/jpeg", WadoUriContentType.corrected(null, "image/png"));
        assertEquals("image/jpeg", WadoUriContentType.corrected("image/jpeg", "image/png"));
        assertEquals("image/jpeg", WadoUriContentType.corrected(" IMAGE/JPEG ", "image/png;charset=UTF-8"));
    }

    @Test
    void rightLabelsStay() {
        assertEquals("image/png", WadoUriContentType.corrected("image/png", "image/png"));
        assertEquals("application/dicom", WadoUriContentType.corrected("application/dicom", "application/dicom"));
        assertEquals("application/json", WadoUriContentType.corrected(null, "application/json"));
        assertEquals(null, WadoUriContentType.corrected(null, null));
    }
}
