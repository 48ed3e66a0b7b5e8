package org.ohifgateway.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.ohifgateway.http.Roles;

/**
 * Users added, removed or changed in the realm's users file take effect on the running server
 * within about two seconds: the file is looked at every second ({@link UsersFileWatch}), which
 * also works where file change notices do not (network and container-mounted files). BASIC
 * logins send the password with every request, so a removed user or an old password is refused
 * from the next request on. Where the server has no such file (another server, a directory realm),
 * one log line says so and nothing else happens.
 */
@ApplicationScoped
public class UsersFileReload {

    private static final Logger LOG = Logger.getLogger(UsersFileReload.class.getName());
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Inject
    ServerRealm realm;
    @Inject
    Event<UsersReloaded> reloaded;

    private ScheduledExecutorService looker;

    void startAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        Path file;
        try {
            file = realm.usersFile();
        } catch (ServerRealm.RealmException e) {
            LOG.info("Users file not watched: " + e.getMessage() + ".");
            return;
        }
        // What was learnt of the users before is forgotten before anyone is told the file was read.
        UsersFileWatch watch = new UsersFileWatch(file, realm, () -> reloaded.fire(new UsersReloaded()));
        looker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ohif-gateway-users-file");
            thread.setDaemon(true);
            return thread;
        });
        looker.scheduleWithFixedDelay(watch::look, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Users: the realm " + Roles.REALM + " reads " + file
                + "; changes to it take effect within seconds.");
    }

    @PreDestroy
    void stop() {
        if (looker != null) {
            looker.shutdownNow();
        }
    }
}
