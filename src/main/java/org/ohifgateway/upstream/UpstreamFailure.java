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

    /** What went wrong, as the metrics count it. */
    public enum Kind {
        /** No connection to Orthanc came free in time (503). */
        POOL_TIMEOUT,
        /** Orthanc did not accept the connection, or did not answer or go on sending, in time (504). */
        TIMEOUT,
        /** Orthanc's address refused the connection or could not be found. */
        UNREACHABLE,
        /** Orthanc closed the connection without answering. */
        NO_ANSWER,
        /** Orthanc refused the gateway's own credentials. */
        CREDENTIALS_REFUSED,
        /** The connection failed otherwise, for instance reset while an answer was on its way. */
        CONNECTION_FAILED,
        /** Not Orthanc's fault: the client's upload went past the gateway's limit (413). */
        UPLOAD_TOO_LARGE;

        /** Whether the archive, or the way to it, failed (and not the client). */
        public boolean archiveFault() {
            return this != UPLOAD_TOO_LARGE;
        }
    }

    private final Kind kind;
    private final int status;
    private final String clientMessage;

    private UpstreamFailure(Kind kind, int status, String clientMessage, Throwable cause) {
        super(clientMessage, cause);
        this.kind = kind;
        this.status = status;
        this.clientMessage = clientMessage;
    }

    public static UpstreamFailure of(IOException cause) {
        if (cause instanceof BoundedUpload.TooLarge) {
            return new UpstreamFailure(Kind.UPLOAD_TOO_LARGE, 413, "The upload is larger than the gateway accepts.", cause);
        }
        if (cause instanceof ConnectionPoolTimeoutException) {
            return new UpstreamFailure(Kind.POOL_TIMEOUT, 503,
                    "The gateway is busy: all connections to the image archive are in use.", cause);
        }
        if (cause instanceof SocketTimeoutException || cause instanceof ConnectTimeoutException
                || cause instanceof InterruptedIOException) {
            return new UpstreamFailure(Kind.TIMEOUT, 504, "The image archive did not answer in time.", cause);
        }
        if (cause instanceof HttpHostConnectException || cause instanceof ConnectException
                || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException) {
            return new UpstreamFailure(Kind.UNREACHABLE, 502, "The image archive is not reachable.", cause);
        }
        if (cause instanceof NoHttpResponseException) {
            return new UpstreamFailure(Kind.NO_ANSWER, 502,
                    "The image archive closed the connection without answering.", cause);
        }
        return new UpstreamFailure(Kind.CONNECTION_FAILED, 502, "The image archive connection failed.", cause);
    }

    /** Orthanc refused the gateway's own credentials: a configuration fault, not the user's. */
    public static UpstreamFailure credentialsRefused() {
        return new UpstreamFailure(Kind.CREDENTIALS_REFUSED, 502, "The image archive refused the gateway's credentials.",
                null);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String clientMessage() {
        return clientMessage;
    }
}
