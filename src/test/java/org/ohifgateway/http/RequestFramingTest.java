package org.ohifgateway.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class RequestFramingTest {

    private static final String HTTP11 = "HTTP/1.1";

    private static void passes(String protocol, List<String> transferEncodings, List<String> contentLengths) {
        assertDoesNotThrow(() -> RequestFraming.check(protocol, "POST", transferEncodings, contentLengths),
                protocol + " " + transferEncodings + " " + contentLengths);
    }

    private static int refusal(String protocol, String method, List<String> transferEncodings,
                               List<String> contentLengths) {
        return assertThrows(RejectedRequest.class,
                () -> RequestFraming.check(protocol, method, transferEncodings, contentLengths),
                protocol + " " + method + " " + transferEncodings + " " + contentLengths).status();
    }

    private static int refusal(List<String> transferEncodings, List<String> contentLengths) {
        return refusal(HTTP11, "POST", transferEncodings, contentLengths);
    }

    @Test
    void plainFramingPasses() {
        passes(HTTP11, List.of(), List.of());
        passes(HTTP11, List.of(), List.of("0"));
        passes(HTTP11, List.of(), List.of("1048576"));
        passes("HTTP/1.0", List.of(), List.of("5"));
        passes("HTTP/2.0", List.of(), List.of("5"));
        passes(HTTP11, List.of("chunked"), List.of());
        passes(HTTP11, List.of("Chunked"), List.of());
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() {
        assertEquals(400, refusal(List.of("chunked"), List.of("5")));
        assertEquals(400, refusal(List.of("xchunked"), List.of("5")));
    }

    @Test
    void transferCodingsOtherThanChunkedAreNotImplemented() {
        // The server reads each of these as "no body": the upload would be lost.
        for (String coding : List.of("xchunked", "identity, chunked", "gzip, chunked", "gzip", "identity", "chunkedx",
                "chunked, gzip", "chunked , gzip", "deflate;q=1, chunked")) {
            assertEquals(501, refusal(List.of(coding), List.of()), coding);
        }
        assertEquals(501, refusal(List.of("chunked", "gzip"), List.of()), "over two header lines");
    }

    @Test
    void aChunkedThatIsNotPlainlyChunkedIsRefused() {
        // Quoted, folded onto a continuation line (the server passes the leading space on), with a
        // parameter, twice, or empty.
        for (List<String> values : List.of(List.of("\"chunked\""), List.of(" chunked"), List.of("chunked;x=1"),
                List.of("chunked, chunked"), List.of("chunked", "chunked"), List.of(""), List.of(","))) {
            assertEquals(400, refusal(values, List.of()), values.toString());
        }
    }

    @Test
    void transferEncodingIsOnlyHttp11() {
        assertEquals(400, refusal("HTTP/1.0", "POST", List.of("chunked"), List.of()));
        assertEquals(400, refusal("HTTP/2.0", "POST", List.of("chunked"), List.of()));
    }

    @Test
    void contentLengthIsOneNumber() {
        assertEquals(400, refusal(List.of(), List.of("5", "5")));
        assertEquals(400, refusal(List.of(), List.of("5", "6")));
        for (String length : List.of("", "+5", "-1", "5, 5", "0x10", "5 5", "9".repeat(19))) {
            assertEquals(400, refusal(List.of(), List.of(length)), length);
        }
    }

    @Test
    void aMethodIsAToken() {
        // The body of a request the server read as bodiless turns up in the next request's method.
        for (String method : List.of("5\r\nhello\r\n0\r\n\r\nGET", "\r\nGET", "GET\r", "G T", "GÉT", "")) {
            assertEquals(400, refusal(HTTP11, method, List.of(), List.of()), method);
        }
        assertDoesNotThrow(() -> RequestFraming.check(HTTP11, "PROPFIND", List.of(), List.of()));
        assertDoesNotThrow(() -> RequestFraming.check(HTTP11, "M-SEARCH", List.of(), List.of()));
    }

    @Test
    void aRefusalOrAChunkedRequestOverHttp1EndsTheConnection() {
        assertVerdict(RequestFraming.of(HTTP11, "POST", List.of("chunked"), List.of()), null, true);
        assertVerdict(RequestFraming.of(HTTP11, "POST", List.of(), List.of("5")), null, false);
        assertVerdict(RequestFraming.of(HTTP11, "POST", List.of("gzip"), List.of()), 501, true);
        assertVerdict(RequestFraming.of("HTTP/1.0", "POST", List.of("chunked"), List.of()), 400, true);
        assertVerdict(RequestFraming.of("HTTP/1.0", "GET", List.of(), List.of()), null, false);
        // Over HTTP/2 every request has a stream of its own.
        assertVerdict(RequestFraming.of("HTTP/2.0", "POST", List.of("chunked"), List.of()), 400, false);
        assertVerdict(RequestFraming.of("HTTP/2.0", "POST", List.of(), List.of()), null, false);
    }

    private static void assertVerdict(RequestFraming.Verdict verdict, Integer status, boolean endsConnection) {
        assertEquals(status, verdict.refusal() == null ? null : verdict.refusal().status());
        assertEquals(endsConnection, verdict.endsConnection());
    }
}
