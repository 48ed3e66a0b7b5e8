package org.ohifgateway.http;

/** A request the gateway will not forward: the status and a message that is safe to show. */
public class RejectedRequest extends Exception {

    private final int status;

    public RejectedRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
