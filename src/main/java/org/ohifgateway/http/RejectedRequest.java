package org.ohifgateway.http;

import java.util.List;

/** A request the gateway will not forward: the status and a message that is safe to show. */
public class RejectedRequest extends Exception {

    private final int status;
    private final List<String> allowedMethods;

    public RejectedRequest(int status, String message) {
        this(status, message, List.of());
    }

    private RejectedRequest(int status, String message, List<String> allowedMethods) {
        super(message, null, false, false);
        this.status = status;
        this.allowedMethods = List.copyOf(allowedMethods);
    }

    /** 405: the resource does not offer the method; the answer's Allow header names those it does. */
    public static RejectedRequest methodNotAllowed(String message, List<String> allowedMethods) {
        return new RejectedRequest(405, message, allowedMethods);
    }

    public int status() {
        return status;
    }

    /** The methods the resource offers, for a 405; empty otherwise. */
    public List<String> allowedMethods() {
        return allowedMethods;
    }
}
