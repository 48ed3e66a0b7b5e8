package org.ohifgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.http.pool.PoolStats;
import org.junit.jupiter.api.Test;
import org.ohifgateway.audit.AuditTrail;
import org.ohifgateway.cache.CacheStatistics;
import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.AccessKind;
import org.ohifgateway.http.RouteNotes;
import org.ohifgateway.security.KeptLogins;
import org.ohifgateway.security.LoginGuard;
import org.ohifgateway.security.LoginThrottle;
import org.ohifgateway.upstream.OrthancClient;

/** The metrics filter with servlet stand-ins: what one request, with or without its error page, adds. */
class MetricsFilterTest {

    private final GatewayMetrics metrics = metrics();
    private final MetricsFilter filter = new MetricsFilter(metrics);
    private final Map<String, Object> attributes = new HashMap<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int status = 200;

    private static GatewayMetrics metrics() {
        OrthancClient orthanc = mock(OrthancClient.class);
        when(orthanc.statistics()).thenReturn(Map.<String, PoolStats>of());
        LoginGuard logins = mock(LoginGuard.class);
        when(logins.lockouts()).thenReturn(new LoginThrottle.Lockouts(0, 0));
        return new GatewayMetrics(new GatewayConfig(key -> Optional.empty()), orthanc, logins, mock(KeptLogins.class), mock(AuditTrail.class),
                mock(CacheStatistics.class));
    }

    private HttpServletRequest request(DispatcherType dispatch, String uri, byte[] body) throws IOException {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(request).setAttribute(anyString(), any());
        when(request.getDispatcherType()).thenReturn(dispatch);
        when(request.getContextPath()).thenReturn("");
        when(request.getRequestURI()).thenReturn(dispatch == DispatcherType.ERROR ? "/WEB-INF/refusal" : uri);
        if (dispatch == DispatcherType.ERROR) {
            attributes.put(RequestDispatcher.ERROR_REQUEST_URI, uri);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        when(request.getInputStream()).thenReturn(new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        });
        return request;
    }

    private HttpServletResponse response() throws IOException {
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getStatus()).thenAnswer(call -> status);
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        doAnswer(call -> {
            written.reset();
            return null;
        }).when(response).resetBuffer();
        return response;
    }

    private ScrapedMetrics scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return new ScrapedMetrics(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aServedRequestIsCountedAsItsRouteNotedItWithBothBodies() throws Exception {
        HttpServletRequest request = request(DispatcherType.REQUEST, "/pacs/studies", "0123456789".getBytes());
        filter.doFilter(request, response(), (req, res) -> {
            req.getInputStream().readAllBytes();
            RouteNotes.access(req, AccessKind.STOW);
            res.getOutputStream().write(new byte[1234]);
        });

        ScrapedMetrics scraped = scrape();
        assertEquals(1, scraped.sum("ohif_gateway_requests_total", "route", "stow", "status_class", "2xx"));
        assertEquals(1, scraped.sum("ohif_gateway_requests_total"));
        assertEquals(10, scraped.sum("ohif_gateway_request_body_bytes_total", "route", "stow"));
        assertEquals(1234, scraped.sum("ohif_gateway_response_body_bytes_total", "route", "stow"));
        assertEquals(1, scraped.sum("ohif_gateway_request_duration_seconds_count", "route", "stow"));
    }

    @Test
    void theErrorPageOfACountedRequestAddsOnlyItsBody() throws Exception {
        status = 404;
        filter.doFilter(request(DispatcherType.REQUEST, "/missing.js", new byte[0]), response(), (req, res) -> {
        });
        filter.doFilter(request(DispatcherType.ERROR, "/missing.js", new byte[0]), response(),
                (req, res) -> res.getOutputStream().write(new byte[42]));

        ScrapedMetrics scraped = scrape();
        assertEquals(1, scraped.sum("ohif_gateway_requests_total", "route", "viewer", "status_class", "4xx"));
        assertEquals(1, scraped.sum("ohif_gateway_requests_total"));
        assertEquals(42, scraped.sum("ohif_gateway_response_body_bytes_total", "route", "viewer"));
    }

    @Test
    void aRequestTheContainerRefusedIsCountedOnItsErrorPageByItsPath() throws Exception {
        status = 401;
        filter.doFilter(request(DispatcherType.ERROR, "/pacs/studies", new byte[0]), response(),
                (req, res) -> res.getOutputStream().write(new byte[60]));
        attributes.clear();
        status = 403;
        filter.doFilter(request(DispatcherType.ERROR, "/pacs-admin/system", new byte[0]), response(), (req, res) -> {
        });

        ScrapedMetrics scraped = scrape();
        assertEquals(1, scraped.sum("ohif_gateway_requests_total", "route", "dicomweb_refused", "status_class", "4xx"));
        assertEquals(1, scraped.sum("ohif_gateway_requests_total", "route", "admin", "status_class", "4xx"));
        assertEquals(2, scraped.sum("ohif_gateway_requests_total"));
        assertEquals(60, scraped.sum("ohif_gateway_response_body_bytes_total"));
    }

    @Test
    void bytesThrownAwayByAResetAreNotCountedAndAFailureCountsAs500() throws Exception {
        FilterChain failing = (req, res) -> {
            res.getOutputStream().write(new byte[500]);
            res.resetBuffer();
            res.getOutputStream().write(new byte[7]);
            throw new IllegalStateException("broken");
        };
        assertThrows(IllegalStateException.class,
                () -> filter.doFilter(request(DispatcherType.REQUEST, "/", new byte[0]), response(), failing));

        ScrapedMetrics scraped = scrape();
        assertEquals(1, scraped.sum("ohif_gateway_requests_total", "route", "viewer", "status_class", "5xx"));
        assertEquals(7, scraped.sum("ohif_gateway_response_body_bytes_total", "route", "viewer"));
    }
}
