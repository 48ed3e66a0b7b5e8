package org.ohifgateway.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.config.ViewerSettings;
import org.ohifgateway.http.Roles;

/**
 * Serves OHIF's app-config.js from the reviewed template in WEB-INF with the site's
 * {@link ViewerSettings}, the upload button shown only to users who may upload.
 */
public class AppConfigServlet extends HttpServlet {

    static final String TEMPLATE = "/WEB-INF/app-config.template.js";

    @Inject
    private GatewayConfig config;

    private GeneratedFile withUpload;
    private GeneratedFile withoutUpload;

    @Override
    public void init() throws ServletException {
        String template;
        try (InputStream in = getServletContext().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new ServletException(TEMPLATE + " is missing from the WAR");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServletException(e);
        }
        ViewerSettings settings = config.viewerSettings();
        withUpload = variant(AppConfigScript.render(settings, template, true));
        withoutUpload = variant(AppConfigScript.render(settings, template, false));
    }

    private static GeneratedFile variant(String appConfig) {
        return new GeneratedFile("text/javascript;charset=UTF-8", appConfig.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean mayUpload = request.isUserInRole(Roles.UPLOADER) || request.isUserInRole(Roles.ADMIN);
        // Differs per user: never shared by caches, always revalidated.
        (mayUpload ? withUpload : withoutUpload).serve(request, response, "private, " + StaticCaching.REVALIDATE);
    }
}
