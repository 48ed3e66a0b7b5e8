package org.ohifgateway.upstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.apache.http.conn.HttpHostConnectException;

/** Orthanc could not be reached or did not answer in time: the status and words for the client. */
public final class UpstreamFailure extends IOException {

    private final int status;
    private final String clientMessage;

    private UpstreamFailure(int status, String clientMessage, Throwable cause) {
        super(clientMessage, cause);
        this.status = status;
        this.clientMessage = clientMessage;
    }

    public static UpstreamFailure of(IOException cause) {
        if (cause instanceof BoundedUpload.TooLarge) {
            return new UpstreamFailure(413, "The upload is larger than the gateway accepts.", cause);
        }
        if (cause instanceof ConnectionPoolTimeoutException) {
            return new UpstreamFailure(503, "The gateway is busy: all connections to the image archive are in use.", cause);
        }
        if (cause instanceof SocketTimeoutException || cause instanceof ConnectTimeoutException
                || cause instanceof InterruptedIOException) {
            return new UpstreamFailure(504, "The image archive did not answer in time.", cause);
        }
        if (cause instanceof HttpHostConnectException || cause instanceof ConnectException
                || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException) {
            return new UpstreamFailure(502, "The image archive is not reachable.", cause);
        }
        if (cause instanceof NoHttpResponseException) {
            return new UpstreamFailure(502, "The image archive closed the connection without answering.", cause);
        }
        return new UpstreamFailure(502, "The image archive connection failed.", cause);
    }

    /** Orthanc refused the gateway's own credentials: a configuration fault, not the user's. */
    public static UpstreamFailure credentialsRefused() {
        return new UpstreamFailure(502, "The image archive refused the gateway's credentials.", null);
    }

    public int status() {
        return status;
    }

    public String clientMessage() {
        return clientMessage;
    }
}
