package org.ohifgateway.audit;

/** Where the audit lines go: one {@link AuditRecord} per access to the archive, none dropped. */
public interface AuditTrail {

    void record(AuditRecord record);
}
