package org.ohifgateway.viewer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RevalidationTest {

    @Test
    void theTagFollowsTheContent() {
        String tag = Revalidation.etag("a".getBytes(StandardCharsets.UTF_8));
        assertTrue(tag.matches("\"[A-Za-z0-9_-]{22}\""), tag);
        assertNotEquals(tag, Revalidation.etag("b".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ifNoneMatchIsComparedWeakly() {
        String tag = Revalidation.etag(new byte[] {1});
        assertTrue(Revalidation.notModified(tag, tag));
        assertTrue(Revalidation.notModified("\"other\", W/" + tag, tag));
        assertTrue(Revalidation.notModified("*", tag));
        assertFalse(Revalidation.notModified(null, tag));
        assertFalse(Revalidation.notModified("\"other\"", tag));
    }
}
