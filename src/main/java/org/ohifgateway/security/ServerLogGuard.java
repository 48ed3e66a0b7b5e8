package org.ohifgateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Installs {@link MalformedTargetLogFilter} on the server's connector logger while the gateway is deployed. */
public class ServerLogGuard implements ServletContextListener {

    private static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Logger connector = Logger.getLogger(MalformedTargetLogFilter.CONNECTOR_LOGGER);
        connector.setFilter(new MalformedTargetLogFilter(connector.getFilter(), Clock.systemUTC(), REPORT_INTERVAL));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        // The filter's class belongs to this deployment: leave the server's logger as it was.
        Logger connector = Logger.getLogger(MalformedTargetLogFilter.CONNECTOR_LOGGER);
        if (connector.getFilter() instanceof MalformedTargetLogFilter installed) {
            connector.setFilter(installed.previous());
        }
    }
}
