package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ohifgateway.it.GatewayStack.ADMIN;
import static org.ohifgateway.it.GatewayStack.UPLOADER;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ohifgateway.metrics.ScrapedMetrics;
import org.ohifgateway.tools.demo.SyntheticStudies;

/**
 * The metrics on the shared gateway ({@link SharedGateway}): a known mix of requests, scraped
 * before and after, must show exactly those requests, bytes and failed logins, in text that
 * Prometheus's own checker accepts. The other classes sharing the gateway do not run at the same time.
 */
@ExtendWith(SharedGateway.class)
class MetricsIT {

    private static final String DICOM_JSON = "application/dicom+json";
    private static final List<String> ROUTES =
            List.of("viewer", "server", "qido", "wado_rs", "wado_uri", "stow", "admin", "dicomweb_refused");
    private static final List<String> STATUS_CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx");

    /** What the mix sent, per route class: answers by status class, and body bytes each way. */
    private final Map<String, Integer> answers = new HashMap<>();
    private final Map<String, Long> sent = new HashMap<>();
    private final Map<String, Long> received = new HashMap<>();

    private String gateway() {
        return SharedGateway.url();
    }

    /** Notes a request the gateway answered, with what the client sent and got as bodies. */
    private HttpResponse<byte[]> expect(String route, int status, long requestBody, HttpResponse<byte[]> response) {
        assertEquals(status, response.statusCode(), route + ": " + Http.text(response));
        answers.merge(route + " " + status / 100 + "xx", 1, Integer::sum);
        sent.merge(route, (long) response.body().length, Long::sum);
        received.merge(route, requestBody, Long::sum);
        return response;
    }

    private HttpResponse<byte[]> expect(String route, int status, HttpResponse<byte[]> response) {
        return expect(route, status, 0, response);
    }

    @Test
    void theScrapedCountersEqualTheRequestsSent() throws Exception {
        List<byte[]> instances = SyntheticStudies.ctSeries("metrics-it", 2, 32, 32);
        byte[] stowBody = Multipart.stowBody(instances);
        String study = ItHelpers.uidOf(instances.get(0), "0020000D");
        String series = ItHelpers.uidOf(instances.get(0), "0020000E");
        String instance = ItHelpers.uidOf(instances.get(0), "00080018");
        String guessing = Http.basic("metrics-guesser", "not-a-password");

        HttpResponse<byte[]> first = Http.get(gateway() + "/metrics", authorization(GatewayStack.MONITOR), "text/plain");
        ScrapedMetrics before = new ScrapedMetrics(Http.text(first));
        // The scrape itself is counted once its answer is written.
        expect("server", 200, first);

        expect("viewer", 200, Http.get(gateway() + "/", authorization(VIEWER), "text/html"));
        expect("viewer", 200, Http.get(gateway() + "/app-config.js", authorization(VIEWER), "*/*"));
        expect("viewer", 404, Http.get(gateway() + "/app.bundle.missing.js", authorization(VIEWER), "*/*"));
        expect("viewer", 401, Http.get(gateway() + "/", null, "text/html"));
        expect("stow", 200, stowBody.length, Http.send(Http.stow(gateway(), authorization(UPLOADER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(stowBody))));
        for (int i = 0; i < 2; i++) {
            expect("qido", 200, Http.get(gateway() + "/pacs/studies?StudyInstanceUID=" + study, authorization(VIEWER),
                    DICOM_JSON));
        }
        expect("wado_rs", 200, Http.get(gateway() + "/pacs/studies/" + study + "/series/" + series + "/instances/"
                + instance + "/metadata", authorization(VIEWER), DICOM_JSON));
        expect("wado_uri", 200, Http.get(gateway() + "/pacs/wado?requestType=WADO&studyUID=" + study + "&seriesUID="
                + series + "&objectUID=" + instance + "&contentType=application/dicom", authorization(VIEWER), "*/*"));
        expect("admin", 200, Http.get(gateway() + "/pacs-admin/system", authorization(ADMIN), "application/json"));
        expect("admin", 403, Http.get(gateway() + "/pacs-admin/system", authorization(VIEWER), "application/json"));
        expect("dicomweb_refused", 404, Http.get(gateway() + "/pacs/system", authorization(VIEWER), DICOM_JSON));
        // Refused by the container before the route ran, so classed by path alone; the body is never read.
        expect("dicomweb_refused", 403, Http.send(Http.stow(gateway(), authorization(VIEWER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(stowBody))));
        for (int i = 0; i < 2; i++) {
            expect("dicomweb_refused", 401, Http.get(gateway() + "/pacs/studies", guessing, DICOM_JSON));
        }
        expect("server", 403, Http.get(gateway() + "/metrics", authorization(VIEWER), "text/plain"));
        expect("server", 401, Http.get(gateway() + "/metrics", null, "text/plain"));

        ScrapedMetrics after = ItHelpers.metrics(gateway());

        for (String route : ROUTES) {
            int requests = 0;
            for (String statusClass : STATUS_CLASSES) {
                int expected = answers.getOrDefault(route + " " + statusClass, 0);
                requests += expected;
                assertEquals(expected, delta(before, after, "ohif_gateway_requests_total", "route", route,
                        "status_class", statusClass), route + " " + statusClass);
            }
            assertEquals(requests, delta(before, after, "ohif_gateway_request_duration_seconds_count", "route", route),
                    route + ": one duration per request");
            assertEquals(requests, delta(before, after, "ohif_gateway_request_duration_seconds_bucket", "route", route,
                    "le", "+Inf"), route);
            assertEquals(sent.getOrDefault(route, 0L), delta(before, after, "ohif_gateway_response_body_bytes_total",
                    "route", route), route + ": response body bytes");
            assertEquals(received.getOrDefault(route, 0L), delta(before, after, "ohif_gateway_request_body_bytes_total",
                    "route", route), route + ": request body bytes");
        }
        assertEquals(2, delta(before, after, "ohif_gateway_login_failures_total"), "the two wrong passwords");
        assertEquals(List.of(InetAddress.getLocalHost().getHostName()), after.labelValues("ohif_gateway_requests_total", "node"),
                "without gateway.node-name, the host name");
        after.assertPromtoolFindsNothing(Path.of(System.getProperty("it.dir"), "metrics"));
    }

    @Test
    void aRepeatedLoginIsCheckedByTheRealmOnceAndThenKeptOnPayara() throws Exception {
        ScrapedMetrics before = ItHelpers.metrics(gateway());
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.get(gateway() + "/pacs/studies?limit=1", authorization(VIEWER), DICOM_JSON).statusCode());
        }
        // The second scrape's own login is counted too.
        ScrapedMetrics after = ItHelpers.metrics(gateway());
        long realm = delta(before, after, "ohif_gateway_logins_total", "checked_by", "realm");
        long kept = delta(before, after, "ohif_gateway_logins_total", "checked_by", "kept");
        if (SharedGateway.SERVER.equals("wildfly")) {
            assertEquals(0, realm + kept, "WildFly's own login checks every request; the gateway keeps none");
        } else {
            assertEquals(21, realm + kept, "every login counted once: realm " + realm + ", kept " + kept);
            // At most once per user, and once more should a login's keeping time end within the loop.
            assertTrue(realm <= 3, "the realm asked " + realm + " times");
        }
    }

    @Test
    void aLockoutShowsWhileItLastsAndThePoolsAreListed() throws Exception {
        // Lockouts of other classes' tests end after the IT's short cool-down.
        awaitNoUserLockedOut();
        ScrapedMetrics before = ItHelpers.metrics(gateway());
        String wrong = Http.basic("metrics-locked-out", "not-a-password");
        for (int i = 0; i < 5; i++) {
            Http.get(gateway() + "/pacs/studies", wrong, DICOM_JSON);
        }
        ScrapedMetrics locked = ItHelpers.metrics(gateway());
        assertEquals(5, delta(before, locked, "ohif_gateway_login_failures_total"));
        assertEquals(1, locked.sum("ohif_gateway_login_lockouts", "by", "user"), locked.text());
        assertEquals(0, locked.sum("ohif_gateway_login_lockouts", "by", "address"), "the IT's address limit is high");
        awaitNoUserLockedOut();

        for (String pool : List.of("DicomWeb", "Admin")) {
            assertEquals(128, locked.sum("ohif_gateway_upstream_max_connections", "pool", pool), pool);
            assertEquals(0, locked.sum("ohif_gateway_upstream_waiting_requests", "pool", pool), pool);
            assertEquals(0, locked.sum("ohif_gateway_upstream_connections", "pool", pool, "state", "leased"), pool);
        }
        assertEquals(0, locked.sum("ohif_gateway_audit_lines_dropped_total"));
        assertTrue(locked.sum("jvm_memory_used_bytes", "area", "heap") > 0, "the JVM's basics");
    }

    private void awaitNoUserLockedOut() throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        ScrapedMetrics now = ItHelpers.metrics(gateway());
        while (now.sum("ohif_gateway_login_lockouts", "by", "user") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = ItHelpers.metrics(gateway());
        }
        assertEquals(0, now.sum("ohif_gateway_login_lockouts", "by", "user"), "a lockout ends after the cool-down");
    }

    private static long delta(ScrapedMetrics before, ScrapedMetrics after, String name, String... labels) {
        return Math.round(after.sum(name, labels) - before.sum(name, labels));
    }
}
