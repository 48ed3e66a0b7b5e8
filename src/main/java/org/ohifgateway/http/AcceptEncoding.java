package org.ohifgateway.http;

import java.util.Locale;

/** What a client's Accept-Encoding header admits. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /** Whether an Accept-Encoding header admits gzip (an explicit q=0 refuses it). */
    public static boolean gzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean viaWildcard = false;
        for (String element : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = element.split(";");
            String coding = parts[0].trim();
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].replace(" ", "");
                if (parameter.startsWith("q=")) {
                    refused = parameter.substring(2).matches("0(\\.0{0,3})?");
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused;
            }
            if (coding.equals("*")) {
                viaWildcard = !refused;
            }
        }
        return viaWildcard;
    }
}
