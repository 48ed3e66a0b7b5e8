package org.ohifgateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.ohifgateway.config.GatewayConfig;

/**
 * The audit trail as one JSON line per access, written through java.util.logging to its own
 * rotating file (gateway.audit.file), apart from the server log. Further handlers (e.g. syslog to
 * a SIEM) can be attached to the logger {@value #LOGGER} in the server's logging configuration.
 */
@ApplicationScoped
public class AuditFile implements AuditTrail {

    public static final String LOGGER = "ohif-gateway.audit";
    private static final Logger LOG = Logger.getLogger(AuditFile.class.getName());

    @Inject
    GatewayConfig config;

    private final Logger audit = Logger.getLogger(LOGGER);
    private final LongAdder dropped = new LongAdder();
    private FileHandler file;
    private DropCountingHandler handler;
    // FileHandler writes and flushes each line under its lock; one writer thread takes that off
    // the request threads. When it falls behind, requests write their own line: none is dropped
    // while the file can be written (DropCountingHandler counts those that cannot).
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(8192), runnable -> {
                Thread thread = new Thread(runnable, "ohif-gateway-audit");
                thread.setDaemon(true);
                return thread;
            }, (line, executor) -> {
                if (executor.isShutdown()) {
                    dropped.increment();
                } else {
                    line.run();
                }
            });

    /** Opened with the application: serving patient data without a record of it is not an option. */
    void openAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        LOG.info("Audit trail: " + config.auditFile());
    }

    @PostConstruct
    void open() {
        String pattern = config.auditFile();
        try {
            Path parent = Path.of(pattern.replace("%h", System.getProperty("user.home"))
                    .replace("%t", System.getProperty("java.io.tmpdir"))).toAbsolutePath().getParent();
            Files.createDirectories(parent);
            file = new FileHandler(pattern, config.auditFileLimitBytes(), config.auditFileCount(), true);
            file.setEncoding(StandardCharsets.UTF_8.name());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot open the audit trail " + pattern + ": " + e.getMessage(), e);
        }
        file.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + System.lineSeparator();
            }
        });
        handler = new DropCountingHandler(file, dropped);
        audit.setUseParentHandlers(false);
        audit.setLevel(Level.INFO);
        audit.addHandler(handler);
    }

    @PreDestroy
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                int queued = writer.shutdownNow().size();
                dropped.add(queued);
                LOG.warning("Audit lines still queued at shutdown: " + queued);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        audit.removeHandler(handler);
        handler.close();
    }

    @Override
    public void record(AuditRecord record) {
        String json = record.toJson();
        writer.execute(() -> audit.info(json));
    }

    @Override
    public long droppedLines() {
        return dropped.sum();
    }
}
