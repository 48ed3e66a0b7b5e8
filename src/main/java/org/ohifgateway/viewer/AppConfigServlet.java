package org.ohifgateway.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves OHIF's app-config.js from the reviewed template in WEB-INF, with the upload button
 * shown only to users who may upload.
 */
public class AppConfigServlet extends HttpServlet {

    static final String TEMPLATE = "/WEB-INF/app-config.template.js";
    static final String UPLOAD_PLACEHOLDER = "__DICOM_UPLOAD_ENABLED__";

    private String template;

    @Override
    public void init() throws ServletException {
        try (InputStream in = getServletContext().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new ServletException(TEMPLATE + " is missing from the WAR");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServletException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean mayUpload = request.isUserInRole("uploader") || request.isUserInRole("admin");
        byte[] body = template.replace(UPLOAD_PLACEHOLDER, Boolean.toString(mayUpload)).getBytes(StandardCharsets.UTF_8);
        // Differs per user: never shared by caches, always revalidated.
        response.setHeader("Cache-Control", "private, " + StaticCaching.REVALIDATE);
        String etag = Revalidation.etag(body);
        response.setHeader("ETag", etag);
        if (Revalidation.notModified(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType("text/javascript;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
