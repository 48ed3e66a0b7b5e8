package org.ohifgateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServletRequest;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.security.BasicLogin;

/**
 * The audit trail: one JSON line per access to the archive, written through java.util.logging
 * to its own rotating file (gateway.audit.file), apart from the server log. Further handlers
 * (e.g. syslog to a SIEM) can be attached to the logger {@value #LOGGER} in the server's logging
 * configuration.
 */
public class AuditTrail implements ServletContextListener {

    public static final String LOGGER = "ohif-gateway.audit";
    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    private static final Set<String> ROLES = Set.of("viewer", "uploader", "admin");
    private static final String AUDITED = AuditTrail.class.getName() + ".audited";

    private final Logger audit = Logger.getLogger(LOGGER);
    private FileHandler file;
    // FileHandler writes and flushes each line under its lock; one writer thread takes that off
    // the request threads. When it falls behind, requests write their own line: none is dropped.
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(8192), runnable -> {
                Thread thread = new Thread(runnable, "ohif-gateway-audit");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        GatewayConfig config = GatewayConfig.fromMicroProfile();
        String pattern = config.auditFile();
        try {
            Path parent = Path.of(pattern.replace("%h", System.getProperty("user.home"))
                    .replace("%t", System.getProperty("java.io.tmpdir"))).toAbsolutePath().getParent();
            Files.createDirectories(parent);
            file = new FileHandler(pattern, config.auditFileLimitBytes(), config.auditFileCount(), true);
            file.setEncoding(StandardCharsets.UTF_8.name());
        } catch (IOException | RuntimeException e) {
            // Serving patient data without a record of it is not an option.
            throw new IllegalStateException("Cannot open the audit trail " + pattern + ": " + e.getMessage(), e);
        }
        file.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + System.lineSeparator();
            }
        });
        audit.setUseParentHandlers(false);
        audit.setLevel(Level.INFO);
        audit.addHandler(file);
        event.getServletContext().setAttribute(AuditTrail.class.getName(), this);
        LOG.info("Audit trail: " + pattern);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("Audit lines still queued at shutdown: " + writer.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (file != null) {
            audit.removeHandler(file);
            file.close();
        }
    }

    static AuditTrail of(ServletContext context) {
        return (AuditTrail) context.getAttribute(AuditTrail.class.getName());
    }

    /**
     * Records one request to the archive once, however many times it is reported (a request the
     * gateway served may still end in an error page).
     */
    public static void record(HttpServletRequest request, String requestId, String uri, String query, int status,
                              long bytes, long startNanos) {
        if (request.getAttribute(AUDITED) != null) {
            return;
        }
        request.setAttribute(AUDITED, Boolean.TRUE);
        String context = request.getContextPath();
        String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        String route = path.startsWith("/pacs-admin") ? "/pacs-admin" : "/pacs";
        String below = path.length() > route.length() ? path.substring(route.length()) : null;
        AccessedResource resource = AccessedResource.of(request.getMethod(), route, below, query);
        Set<String> roles = ROLES.stream().filter(request::isUserInRole).collect(Collectors.toSet());
        String user = request.getRemoteUser();
        Optional<String> attempted = user == null ? BasicLogin.userName(request.getHeader("Authorization")) : Optional.empty();
        AuditRecord line = new AuditRecord(Instant.now(), requestId, user, attempted, roles, request.getRemoteAddr(),
                request.getMethod(), resource.route(), truncated(path),
                resource.studyUid(), resource.seriesUid(), resource.instanceUid(), resource.query(), status, bytes,
                (System.nanoTime() - startNanos) / 1_000_000);
        of(request.getServletContext()).write(line.toJson());
    }

    private void write(String json) {
        writer.execute(() -> audit.info(json));
    }

    /** Whether a path inside the application is one whose access is audited. */
    public static boolean covers(String path) {
        return path.equals("/pacs") || path.startsWith("/pacs/") || path.equals("/pacs-admin")
                || path.startsWith("/pacs-admin/");
    }

    private static String truncated(String path) {
        return path.length() > 1024 ? path.substring(0, 1024) + "..." : path;
    }
}
