package org.ohifgateway.viewer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.http.AcceptEncoding;

/**
 * A file of the viewer that the gateway changes before serving (index.html, app-config.js,
 * bundles under a sub-path), held in memory with its gzip form and an entity tag for each.
 */
final class GeneratedFile {

    private final String contentType;
    private final byte[] plain;
    private final byte[] gzipped;
    private final String plainTag;
    private final String gzippedTag;

    GeneratedFile(String contentType, byte[] plain) {
        this.contentType = contentType;
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.plainTag = Revalidation.etag(plain);
        this.gzippedTag = Revalidation.etag(gzipped);
    }

    void serve(HttpServletRequest request, HttpServletResponse response, String cacheControl) throws IOException {
        boolean gzip = AcceptEncoding.gzip(request.getHeader("Accept-Encoding"));
        String tag = gzip ? gzippedTag : plainTag;
        response.setHeader("Cache-Control", cacheControl);
        response.addHeader("Vary", "Accept-Encoding");
        response.setHeader("ETag", tag);
        if (Revalidation.notModified(request.getHeader("If-None-Match"), tag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] body = gzip ? gzipped : plain;
        response.setContentType(contentType);
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(content.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}
