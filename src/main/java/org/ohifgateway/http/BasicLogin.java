package org.ohifgateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user name a BASIC Authorization header claims; the password is never kept. */
public final class BasicLogin {

    private static final int MAX_NAME = 128;

    private BasicLogin() {
    }

    public static Optional<String> userName(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? decoded : decoded.substring(0, colon);
        return name.isEmpty() ? Optional.empty() : Optional.of(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
    }
}
