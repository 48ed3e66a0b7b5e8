package org.ohifgateway.http;

import java.util.List;
import java.util.Set;

/**
 * The roles web.xml declares, and the container realm its login-config names (a unit test holds
 * both to web.xml); the realm's groups map to the roles.
 */
public final class Roles {

    /** The container realm that holds the gateway's users (web.xml's realm-name). */
    public static final String REALM = "ohif-gateway";

    /** Reads studies in the viewer. */
    public static final String VIEWER = "viewer";
    /** Reads and uploads studies. */
    public static final String UPLOADER = "uploader";
    /** Everything, including the archive console. */
    public static final String ADMIN = "admin";

    /** Every role of the gateway: a user with none of them may not use it. */
    public static final Set<String> ALL = Set.of(VIEWER, UPLOADER, ADMIN);

    /**
     * Reads the metrics, and nothing else: not one of {@link #ALL}, so that the password a
     * monitoring system keeps in its configuration opens no study and no console.
     */
    public static final String MONITOR = "monitor";

    /** Every role a user, or a directory group, can be given, in the order they are listed. */
    public static final List<String> GRANTABLE = List.of(VIEWER, UPLOADER, ADMIN, MONITOR);

    private Roles() {
    }
}
