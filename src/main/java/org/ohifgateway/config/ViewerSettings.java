package org.ohifgateway.config;

import java.util.Optional;

/**
 * What a site sets about the viewer without rebuilding it (gateway.viewer.*); the viewer renders
 * it into OHIF's app-config.js.
 *
 * @param title             text in place of OHIF's logo and as the page's title; empty keeps OHIF's logo
 * @param dataSourceName    the archive's name where OHIF names its data source
 * @param defaultMode       id of the mode a double-clicked study opens in, unless the user chose another
 * @param studyListPageSize rows per study list page; empty keeps OHIF's 50
 * @param upload            whether anyone gets OHIF's upload button (uploaders and admins only, even then)
 * @param tour              OHIF's guided tour on first use
 * @param investigationalUseNotice OHIF's "for investigational use only" banner
 */
public record ViewerSettings(Optional<String> title, String dataSourceName, Optional<String> defaultMode,
        Optional<Integer> studyListPageSize, boolean upload, boolean tour, boolean investigationalUseNotice) {
}
