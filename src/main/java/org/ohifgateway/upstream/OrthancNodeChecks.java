package org.ohifgateway.upstream;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.PublicOrigin;

/**
 * With several Orthanc nodes, asks each one every {@code gateway.upstream.check-interval-ms}
 * whether it answers ({@code GET /system}), and takes it out of {@link OrthancNodes} or back in.
 * With one node nothing is checked: requests go to it whatever its state, as always.
 */
@ApplicationScoped
public class OrthancNodeChecks {

    private static final PublicOrigin SELF = new PublicOrigin("http", "localhost");

    @Inject
    GatewayConfig config;
    @Inject
    OrthancClient orthanc;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private final List<ScheduledFuture<?>> checks = new ArrayList<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        OrthancNodes nodes = orthanc.nodes();
        if (!nodes.several()) {
            return;
        }
        Duration timeout = Duration.ofMillis(config.nodeCheckTimeoutMillis());
        // One task per node, so a node that hangs delays no other node's check.
        for (URI node : nodes.all()) {
            checks.add(scheduler.scheduleWithFixedDelay(() -> check(nodes, node, timeout), 0,
                    config.nodeCheckIntervalMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void check(OrthancNodes nodes, URI node, Duration timeout) {
        try {
            // The body is read: Orthanc logs an error for every answer a client closes early.
            int status = orthanc.get(node, "/system", SELF, "application/json", timeout).status();
            if (status == 200) {
                nodes.up(node);
            } else {
                nodes.down(node, "HTTP " + status);
            }
        } catch (IOException | RuntimeException e) {
            nodes.down(node, Failover.reason(e), Failover.late(e));
        }
    }

    @PreDestroy
    void stop() {
        checks.forEach(check -> check.cancel(true));
    }
}
