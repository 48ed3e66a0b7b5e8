package org.ohifgateway.config;

import java.nio.file.Path;

/** Where the certificates an HTTPS Orthanc is checked against come from (orthanc.trust-store). */
public record TrustStore(Path file, char[] password, String type) {
}
