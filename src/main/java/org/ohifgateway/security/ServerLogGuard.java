package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Installs a {@link ClientFaultLogFilter} on each server logger of a client fault while the gateway
 * is deployed. The loggers are Payara's; on another server one log line says that its own log
 * lines for client faults stay as the server writes them.
 */
public class ServerLogGuard implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ServerLogGuard.class.getName());

    private static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    // Held here: java.util.logging keeps loggers only weakly, and a logger whose server class has
    // not been loaded yet (HTTP/2 before the first such connection) would be collected with its filter.
    private final List<Logger> guarded = new ArrayList<>();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String server = event.getServletContext().getServerInfo();
        if (!server.contains("Payara")) {
            LOG.info("Server log guard off: it knows the log lines of Payara only, not of " + server
                    + "; client faults such as malformed request targets are logged as this server logs them.");
            return;
        }
        for (ClientFaultLogFilter.Fault fault : ClientFaultLogFilter.PAYARA_FAULTS) {
            Logger logger = Logger.getLogger(fault.logger());
            logger.setFilter(new ClientFaultLogFilter(fault, logger.getFilter(), Clock.systemUTC(), REPORT_INTERVAL));
            guarded.add(logger);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        // The filter's class belongs to this deployment: leave the server's loggers as they were.
        for (Logger logger : guarded) {
            if (logger.getFilter() instanceof ClientFaultLogFilter installed) {
                logger.setFilter(installed.previous());
            }
        }
        guarded.clear();
    }
}
