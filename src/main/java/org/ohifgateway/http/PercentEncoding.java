package org.ohifgateway.http;

import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;

/** Text as UTF-8 bytes, each byte the caller does not keep written as %XX (upper-case hex). */
public final class PercentEncoding {

    private PercentEncoding() {
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
