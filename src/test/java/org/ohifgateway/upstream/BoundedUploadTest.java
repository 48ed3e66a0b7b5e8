package org.ohifgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class BoundedUploadTest {

    @Test
    void aBodyUpToTheLimitPassesUnchanged() throws IOException {
        byte[] body = new byte[1000];
        body[999] = 7;
        assertArrayEquals(body, new BoundedUpload(new ByteArrayInputStream(body), 1000).readAllBytes());
    }

    @Test
    void oneByteMoreFails() {
        assertThrows(BoundedUpload.TooLarge.class,
                () -> new BoundedUpload(new ByteArrayInputStream(new byte[1001]), 1000).readAllBytes());
        BoundedUpload single = new BoundedUpload(new ByteArrayInputStream(new byte[2]), 1);
        assertThrows(BoundedUpload.TooLarge.class, () -> {
            single.read();
            single.read();
        });
    }
}
