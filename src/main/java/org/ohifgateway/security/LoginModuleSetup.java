package org.ohifgateway.security;

import java.util.logging.Logger;

import javax.security.auth.Subject;

import jakarta.inject.Inject;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Puts {@link BasicLoginModule} in place of the container's BASIC login, where logins are kept
 * ({@code gateway.login.cache-seconds} is not 0) and the server's realm tells the groups of a
 * checked login (Payara). Elsewhere the container's own login checks every request.
 */
public class LoginModuleSetup implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(LoginModuleSetup.class.getName());

    @Inject
    private KeptLogins kept;
    @Inject
    private ServerRealm realm;

    private String registration;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        if (!kept.enabled()) {
            LOG.info("every request's login is checked by the server's realm (gateway.login.cache-seconds=0)");
            return;
        }
        try {
            realm.groupsOf(new Subject());
        } catch (ServerRealm.RealmException e) {
            LOG.info("every request's login is checked by the server's realm: " + e.getMessage());
            return;
        }
        registration = AuthConfigFactory.getFactory().registerServerAuthModule(new BasicLoginModule(kept, realm),
                event.getServletContext());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (registration != null) {
            AuthConfigFactory.getFactory().removeServerAuthModule(event.getServletContext());
        }
    }
}
