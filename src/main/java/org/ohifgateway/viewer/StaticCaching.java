package org.ohifgateway.viewer;

import java.util.regex.Pattern;

/**
 * How long a browser may keep each of the viewer's files. Files whose name carries a content hash
 * (app.bundle.0f6159c501addfe9.js, 0ddf166f7a343eda.wasm) never change under that name, so they
 * are kept for a year without asking; everything else (index.html, app-config.js, sw.js, chunk
 * CSS without a hash, images) is revalidated on every use, so a new build is seen at once.
 */
public final class StaticCaching {

    public static final String IMMUTABLE = "max-age=31536000, immutable";
    public static final String REVALIDATE = "no-cache";

    private static final Pattern HASHED_NAME = Pattern.compile("(?:^|.*\\.)[0-9a-f]{16,}\\.[a-z0-9]+(?:\\.gz)?");

    private StaticCaching() {
    }

    /** The Cache-Control value for a file of the viewer, by its path inside the application. */
    public static String cacheControl(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return HASHED_NAME.matcher(name).matches() ? IMMUTABLE : REVALIDATE;
    }
}
