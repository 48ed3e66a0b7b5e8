package org.ohifgateway.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves OHIF's {@link IndexPage}: also the page of every browser route (SpaFallbackFilter) and
 * of "/". Revalidated on every use, so a new build is picked up, and answered with 304 while it
 * is unchanged.
 */
public class IndexServlet extends HttpServlet {

    @Inject
    private IndexPage index;

    private GeneratedFile page;

    @Override
    public void init() {
        page = new GeneratedFile("text/html;charset=UTF-8", index.html().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page.serve(request, response, StaticCaching.REVALIDATE);
    }
}
