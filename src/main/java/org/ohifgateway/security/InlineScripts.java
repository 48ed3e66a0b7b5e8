package org.ohifgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inline scripts of a page as Content-Security-Policy hash sources. OHIF's index.html sets
 * {@code window.PUBLIC_URL} and its module loader inline; allowing exactly those two scripts by
 * hash keeps every other inline script blocked.
 */
public final class InlineScripts {

    private static final Pattern INLINE = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    private InlineScripts() {
    }

    public static List<String> hashSources(String html) {
        List<String> sources = new ArrayList<>();
        Matcher script = INLINE.matcher(html);
        while (script.find()) {
            if (!script.group(1).isEmpty()) {
                sources.add("'sha256-" + Base64.getEncoder().encodeToString(sha256(script.group(1))) + "'");
            }
        }
        return sources;
    }

    /** The policy with the sources added to its script-src directive (if it has one). */
    public static String allow(String policy, List<String> sources) {
        if (sources.isEmpty()) {
            return policy;
        }
        return policy.replaceFirst("script-src ", Matcher.quoteReplacement("script-src " + String.join(" ", sources) + " "));
    }

    private static byte[] sha256(String script) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
