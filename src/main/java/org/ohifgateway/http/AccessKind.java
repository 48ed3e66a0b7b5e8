package org.ohifgateway.http;

/** What kind of access to the archive a request is, as the audit trail records it. */
public enum AccessKind {
    /** DICOMweb search (QIDO-RS). */
    QIDO,
    /** DICOMweb retrieval (WADO-RS). */
    WADO_RS,
    /** Retrieval by URI (WADO-URI). */
    WADO_URI,
    /** DICOMweb upload (STOW-RS). */
    STOW,
    /** The archive console or Orthanc's REST API. */
    ADMIN,
    /** A request under the DICOMweb route that was refused before it was known to be DICOMweb. */
    DICOMWEB_REFUSED
}
