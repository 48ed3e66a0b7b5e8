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
 * Inline scripts as Content-Security-Policy hash sources. OHIF's index.html sets
 * {@code window.PUBLIC_URL} and its module loader inline, Orthanc Explorer opens its file chooser
 * from an onclick attribute; allowing exactly those scripts by hash keeps every other inline script
 * blocked.
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
                sources.add(hashSource(script.group(1)));
            }
        }
        return sources;
    }

    /**
     * The sources that allow exactly these event handler attributes (the attribute's text, such as
     * an onclick's): their hashes, and 'unsafe-hashes', without which browsers match no hash against
     * a handler.
     */
    public static List<String> eventHandlerSources(List<String> handlers) {
        List<String> sources = new ArrayList<>(List.of("'unsafe-hashes'"));
        handlers.forEach(handler -> sources.add(hashSource(handler)));
        return sources;
    }

    /** The policy with the sources added to its script-src directive (if it has one). */
    public static String allow(String policy, List<String> sources) {
        if (sources.isEmpty()) {
            return policy;
        }
        return policy.replaceFirst("script-src ", Matcher.quoteReplacement("script-src " + String.join(" ", sources) + " "));
    }

    private static String hashSource(String script) {
        return "'sha256-" + Base64.getEncoder().encodeToString(sha256(script)) + "'";
    }

    private static byte[] sha256(String script) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
