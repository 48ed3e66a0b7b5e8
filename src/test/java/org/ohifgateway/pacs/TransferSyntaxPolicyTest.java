package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TransferSyntaxPolicyTest {

    private final TransferSyntaxPolicy policy = new TransferSyntaxPolicy(Set.of("*", "1.2.840.10008.1.2.1"));

    @Test
    void storedFormAndExplicitLittleEndianPass() {
        for (String accept : new String[] {
            null, "application/dicom+json", "*/*",
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*",
            "multipart/related; type=application/octet-stream; transfer-syntax=\"*\"",
            "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1",
            "multipart/related; type=\"application/octet-stream\"",
        }) {
            assertEquals(Optional.empty(), policy.refusal(accept), accept);
        }
    }

    @Test
    void conversionsAreRefusedWithAHint() {
        for (String accept : new String[] {
            "multipart/related; type=\"image/jls\"; transfer-syntax=1.2.840.10008.1.2.4.80",
            "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.90",
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*, "
                    + "multipart/related; type=\"application/octet-stream\"; TRANSFER-SYNTAX=1.2.840.10008.1.2",
        }) {
            String refusal = policy.refusal(accept).orElseThrow();
            assertTrue(refusal.contains("transfer-syntax=*"), refusal);
        }
    }
}
