package org.ohifgateway.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves OHIF's index.html as {@link SubPath} renders it for this context path: also the page
 * of every browser route (SpaFallbackFilter) and of "/". Revalidated on every use, so a new
 * build is picked up, and answered with 304 while it is unchanged.
 */
public class IndexServlet extends HttpServlet {

    static final String BUILT_INDEX = "/index.html";

    private GeneratedFile page;

    /** The page this servlet serves, for whoever must know its inline scripts. */
    public static String renderedPage(ServletContext context) throws IOException {
        try (InputStream in = context.getResourceAsStream(BUILT_INDEX)) {
            if (in == null) {
                throw new IOException(BUILT_INDEX + " is missing from the WAR");
            }
            return SubPath.indexPage(new String(in.readAllBytes(), StandardCharsets.UTF_8), context.getContextPath());
        }
    }

    @Override
    public void init() throws ServletException {
        try {
            page = new GeneratedFile("text/html;charset=UTF-8", renderedPage(getServletContext()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ServletException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page.serve(request, response, StaticCaching.REVALIDATE);
    }
}
