package org.ohifgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HeaderPolicyTest {

    private final HeaderPolicy plain = HeaderPolicy.forMessage(List.of());

    @Test
    void credentialsCookiesAndForwardingClaimsStayAtTheGateway() {
        for (String name : List.of("Authorization", "authorization", "Cookie", "Forwarded", "X-Forwarded-For",
                "X-Forwarded-Host", "X-Forwarded-Proto", "Host", "Content-Length", "Expect", "Proxy-Authorization")) {
            assertFalse(plain.toUpstream(name), name);
        }
    }

    @Test
    void requestHeadersOrthancNeedsAreForwarded() {
        for (String name : List.of("Accept", "Accept-Encoding", "Content-Type", "If-None-Match", "Range", "User-Agent")) {
            assertTrue(plain.toUpstream(name), name);
        }
    }

    @Test
    void hopByHopHeadersIncludingThoseNamedInConnectionNeverCross() {
        HeaderPolicy policy = HeaderPolicy.forMessage(List.of("keep-alive, X-Private", " close "));
        for (String name : List.of("Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                "x-private", "Close")) {
            assertFalse(policy.toUpstream(name), name);
            assertFalse(policy.toClient(name), name);
        }
        assertTrue(policy.toClient("X-Other"));
    }

    @Test
    void orthancsChallengeBannerAndCookiesDoNotReachTheBrowser() {
        for (String name : List.of("WWW-Authenticate", "Server", "Set-Cookie", "X-Powered-By")) {
            assertFalse(plain.toClient(name), name);
        }
        for (String name : List.of("Content-Type", "Content-Encoding", "Content-Length", "ETag", "Cache-Control", "Location")) {
            assertTrue(plain.toClient(name), name);
        }
    }
}
