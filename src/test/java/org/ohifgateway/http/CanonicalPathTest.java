package org.ohifgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CanonicalPathTest {

    @Test
    void dicomWebPathsPassUnchanged() throws RejectedRequest {
        CanonicalPath path = CanonicalPath.parse("/pacs/studies/1.2.840.10008.5/series/1.2.3/metadata", "/pacs");
        assertEquals(List.of("studies", "1.2.840.10008.5", "series", "1.2.3", "metadata"), path.segments());
        assertEquals("/studies/1.2.840.10008.5/series/1.2.3/metadata", path.encoded());
    }

    @Test
    void rootAndTrailingSlashAreKept() throws RejectedRequest {
        assertEquals("", CanonicalPath.parse("/pacs-admin", "/pacs-admin").encoded());
        assertEquals("/", CanonicalPath.parse("/pacs-admin/", "/pacs-admin").encoded());
        assertEquals("/app/", CanonicalPath.parse("/pacs-admin/app/", "/pacs-admin").encoded());
    }

    @Test
    void harmlessEscapesAreDecodedOnceAndReEncodedStrictly() throws RejectedRequest {
        CanonicalPath path = CanonicalPath.parse("/pacs/a%20b/c+d/%C3%A9", "/pacs");
        assertEquals(List.of("a b", "c+d", "é"), path.segments());
        assertEquals("/a%20b/c%2Bd/%C3%A9", path.encoded());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/pacs/../system", "/pacs/./studies", "/pacs/%2e%2e/system", "/pacs/%2E%2E/system", "/pacs/.%2e/system",
        "/pacs/%2e/studies", "/pacs/..;/system", "/pacs/studies;x=1", "/pacs/..%2Fsystem", "/pacs/..%2fsystem",
        "/pacs/studies%5C..%5Csystem", "/pacs/..\\system", "/pacs/studies//1.2", "/pacs//studies",
        "/pacs/studies/%00", "/pacs/studies/%0d%0aX:1", "/pacs/studies/%7f", "/pacs/%c0%ae%c0%ae/system",
        "/pacs/%c0%af", "/pacs/%e0%80%ae%e0%80%ae/x", "/pacs/%252e%252e/system", "/pacs/%2", "/pacs/%zz",
        "/pacsx/studies", "/%70acs/studies", "/pacs/stu dies", "/pacs/é"
    })
    void trickyPathsAreRejected(String raw) {
        RejectedRequest rejected = assertThrows(RejectedRequest.class, () -> CanonicalPath.parse(raw, "/pacs"));
        assertEquals(400, rejected.status());
    }
}
