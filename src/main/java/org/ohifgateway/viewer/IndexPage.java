package org.ohifgateway.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;

import org.ohifgateway.security.ViewerPage;

/** OHIF's index.html as {@link SubPath} renders it for this context path. */
@ApplicationScoped
public class IndexPage implements ViewerPage {

    private static final String BUILT_INDEX = "/index.html";

    @Inject
    ServletContext context;

    private String html;

    @PostConstruct
    void render() {
        try (InputStream in = context.getResourceAsStream(BUILT_INDEX)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_INDEX + " is missing from the WAR");
            }
            html = SubPath.indexPage(new String(in.readAllBytes(), StandardCharsets.UTF_8), context.getContextPath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + BUILT_INDEX, e);
        }
    }

    @Override
    public String html() {
        return html;
    }
}
