package org.ohifgateway.security;

/** The viewer's page as the gateway serves it, whose inline scripts the Content-Security-Policy allows by hash. */
public interface ViewerPage {

    String html();
}
