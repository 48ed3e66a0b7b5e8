package org.ohifgateway.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;

/**
 * Whether a request to an Orthanc node that failed before any of its answer arrived may go to
 * another node, and whether the failure takes the node out. A read may be asked again; an upload
 * only when it never reached the node, since Orthanc may have stored what it received.
 */
final class Failover {

    private Failover() {
    }

    /** The connection to the node was never made (refused, no route, connect timeout): nothing reached it. */
    static boolean unreachable(IOException failure) {
        return failure instanceof ConnectException || failure instanceof NoRouteToHostException
                || failure instanceof ConnectTimeoutException;
    }

    /**
     * Whether the request may go to another node after this failure, which happened before any
     * byte of an answer arrived (so nothing reached the client either).
     *
     * @param read a GET or HEAD, which Orthanc answers without changing anything
     */
    static boolean retries(boolean read, IOException failure) {
        if (unreachable(failure)) {
            return true;
        }
        // Closed or reset before answering: a read is asked again; an upload may have been stored.
        // A timeout is not retried: a slow answer would only cost a second node the same work.
        return read && (failure instanceof NoHttpResponseException || failure instanceof SocketException);
    }

    /** The node took the connection but did not answer in time: busy, not gone. */
    static boolean late(Exception failure) {
        return failure instanceof SocketTimeoutException;
    }

    /** Words for the log and the health check: what the node did. */
    static String reason(Exception failure) {
        return failure instanceof ConnectTimeoutException ? "connection timed out"
                : failure instanceof ConnectException ? "connection refused"
                : late(failure) ? "no answer in time"
                : failure.getClass().getSimpleName();
    }
}
