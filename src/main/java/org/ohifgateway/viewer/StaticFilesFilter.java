package org.ohifgateway.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.ohifgateway.http.AcceptEncoding;

/**
 * The viewer's files as the container serves them (with ETag, Last-Modified and 304), plus
 * {@link StaticCaching} and the gzip copies the build made next to them: a client that accepts
 * gzip gets the .gz file, labelled with the original's type, so nothing is compressed per request.
 * Under a sub-path, the bundles that name the server root are served as {@link SubPath} changes them.
 */
public class StaticFilesFilter extends HttpFilter {

    private static final String GZIP_SUFFIX = ".gz";

    private final Set<String> precompressed = new HashSet<>();
    private final Map<String, GeneratedFile> underSubPath = new HashMap<>();

    @Override
    public void init() throws ServletException {
        collect("/", getServletContext().getContextPath());
    }

    private void rewriteForSubPath(String path, String contextPath) throws ServletException {
        try (InputStream in = getServletContext().getResourceAsStream(path)) {
            String built = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String served = SubPath.bundle(path, built, contextPath);
            if (!served.equals(built)) {
                underSubPath.put(path, new GeneratedFile(getServletContext().getMimeType(path),
                        served.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new ServletException("Cannot read " + path, e);
        }
    }

    private void collect(String directory, String contextPath) throws ServletException {
        Set<String> paths = getServletContext().getResourcePaths(directory);
        if (paths == null) {
            return;
        }
        for (String path : paths) {
            if (path.endsWith("/")) {
                if (!path.equals("/WEB-INF/") && !path.equals("/META-INF/")) {
                    collect(path, contextPath);
                }
            } else if (path.endsWith(GZIP_SUFFIX)) {
                precompressed.add(path.substring(0, path.length() - GZIP_SUFFIX.length()));
            } else if (!contextPath.isEmpty() && SubPath.mayNameTheRoot(path)) {
                rewriteForSubPath(path, contextPath);
            }
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String method = request.getMethod();
        // Mapped to the container's servlet for files only (web.xml).
        if (!("GET".equals(method) || "HEAD".equals(method))) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getServletPath();
        GeneratedFile changed = underSubPath.get(path);
        if (changed != null) {
            changed.serve(request, response, StaticCaching.cacheControl(path));
            return;
        }
        response.setHeader("Cache-Control", StaticCaching.cacheControl(path));
        if (precompressed.contains(path)) {
            response.addHeader("Vary", "Accept-Encoding");
            if (AcceptEncoding.gzip(request.getHeader("Accept-Encoding"))) {
                response.setHeader("Content-Encoding", "gzip");
                request.getRequestDispatcher(path + GZIP_SUFFIX)
                        .forward(request, new TypedAs(response, getServletContext().getMimeType(path)));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** Keeps the original file's Content-Type when the container serves its .gz copy. */
    private static final class TypedAs extends HttpServletResponseWrapper {

        private final String type;

        TypedAs(HttpServletResponse response, String type) {
            super(response);
            this.type = type;
            response.setContentType(type);
        }

        @Override
        public void setContentType(String ignored) {
            super.setContentType(type);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "Content-Type".equalsIgnoreCase(name) ? type : value);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, "Content-Type".equalsIgnoreCase(name) ? type : value);
        }
    }
}
