package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Installs a {@link ClientFaultLogFilter} on each server logger of a client fault while the gateway is deployed. */
public class ServerLogGuard implements ServletContextListener {

    private static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    // Held here: java.util.logging keeps loggers only weakly, and a logger whose server class has
    // not been loaded yet (HTTP/2 before the first such connection) would be collected with its filter.
    private final List<Logger> guarded = new ArrayList<>();

    @Override
    public void contextInitialized(ServletContextEvent event) {
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
