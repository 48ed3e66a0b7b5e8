package org.ohifgateway.audit;

/** Where the audit lines go: one {@link AuditRecord} per access to the archive. */
public interface AuditTrail {

    void record(AuditRecord record);

    /** Lines that could not be written since the start (the file failed, or the server stopped first). */
    long droppedLines();
}
