package org.ohifgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.junit.jupiter.api.Test;

class UpstreamFailureTest {

    @Test
    void eachFaultGetsItsStatus() {
        assertEquals(502, UpstreamFailure.of(new ConnectException("Connection refused")).status());
        assertEquals(502, UpstreamFailure.of(new NoHttpResponseException("127.0.0.1:8042 failed to respond")).status());
        assertEquals(504, UpstreamFailure.of(new SocketTimeoutException("Read timed out")).status());
        assertEquals(504, UpstreamFailure.of(new ConnectTimeoutException("connect timed out")).status());
        assertEquals(503, UpstreamFailure.of(new ConnectionPoolTimeoutException("Timeout waiting for connection")).status());
        assertEquals(502, UpstreamFailure.of(new IOException("other")).status());
    }

    @Test
    void theClientMessageNeverCarriesTheCause() {
        UpstreamFailure failure = UpstreamFailure.of(new ConnectException("Connect to 10.0.0.5:8042 failed"));
        assertFalse(failure.clientMessage().contains("10.0.0.5"));
        assertFalse(failure.clientMessage().contains("8042"));
    }
}
