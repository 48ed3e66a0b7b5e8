package org.ohifgateway.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/**
 * The load balancer's question, without a login: 200 while this gateway can serve, 503 while it
 * cannot. The answer says nothing else (no names, addresses, versions or counts); admins see the
 * details on the server's health endpoint.
 */
public class LoadBalancerCheckServlet extends HttpServlet {

    private static final byte[] READY = "ready\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_READY = "not ready\n".getBytes(StandardCharsets.US_ASCII);

    @Inject
    @Readiness
    private Instance<HealthCheck> checks;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean ready = ReadinessChecks.allUp(checks);
        byte[] body = ready ? READY : NOT_READY;
        response.setStatus(ready ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("text/plain;charset=US-ASCII");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
