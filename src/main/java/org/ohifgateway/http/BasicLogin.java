package org.ohifgateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** What a BASIC Authorization header claims: the user name for logs and counts, both parts for the login check. */
public final class BasicLogin {

    private static final int MAX_NAME = 128;

    /** A user name and password as given, for checking only: never logged or stored. */
    public record Credentials(String user, String password) {

        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    private BasicLogin() {
    }

    public static Optional<String> userName(String authorization) {
        return decoded(authorization).map(decoded -> {
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        }).filter(name -> !name.isEmpty()).map(name -> name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
    }

    /** User name and password, when the header has both parts and a name. */
    public static Optional<Credentials> credentials(String authorization) {
        return decoded(authorization).flatMap(decoded -> {
            int colon = decoded.indexOf(':');
            return colon > 0 ? Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)))
                    : Optional.empty();
        });
    }

    private static Optional<String> decoded(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
