package org.ohifgateway.http;

import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;

/** Text as UTF-8 bytes, each byte the caller does not keep written as %XX (upper-case hex). */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    /**
     * A query string as a URI carries it: its escapes and the characters RFC 3986 allows in a
     * query stand as they are, everything else (spaces, ^, non-ASCII, ...) is escaped.
     */
    public static String query(String query) {
        return encode(query, c -> c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0));
    }

    /** @param kept whether a byte (0-255) may stand as itself */
    public static String encode(String text, IntPredicate kept) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (kept.test(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
