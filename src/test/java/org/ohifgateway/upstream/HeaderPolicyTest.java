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
                "X-Forwarded-Host", "X-Forwarded-Proto", "Host", "Content-Length", "Expect", "Proxy-Authorization",
                "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            assertFalse(plain.toUpstream(name), name);
        }
    }

    @Test
    void requestHeadersOrthancNeedsAreForwarded() {
        for (String name : List.of("Accept", "Accept-Encoding", "Accept-Language", "Content-Type", "If-None-Match",
                "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range", "range")) {
            assertTrue(plain.toUpstream(name), name);
        }
    }

    @Test
    void headersAClientInventsStayAtTheGateway() {
        // Headers that Orthanc's authorization plugin, auth proxies or URL rewriting may trust.
        for (String name : List.of("X-Forwarded-User", "X-Remote-User", "Remote-User", "X-User", "X-Forwarded-Groups",
                "X-Orthanc-User", "X-Auth-Token", "Token", "X-Original-URL", "X-Rewrite-URL", "Via", "X-Anything",
                "User-Agent", "Origin", "Referer", "Transfer-Encoding", "Trailer")) {
            assertFalse(plain.toUpstream(name), name);
        }
    }

    @Test
    void hopByHopHeadersIncludingThoseNamedInConnectionNeverCross() {
        HeaderPolicy policy = HeaderPolicy.forMessage(List.of("keep-alive, X-Private, Range", " close "));
        assertFalse(policy.toUpstream("Range"), "a header the client names as hop-by-hop stays");
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
