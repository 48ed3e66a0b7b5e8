package org.ohifgateway.cache;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ohifgateway.config.GatewayConfig;
import org.ohifgateway.http.PublicOrigin;
import org.ohifgateway.upstream.OrthancClient;
import org.ohifgateway.upstream.UpstreamFailure;

/**
 * The gateway's metadata cache: series and study metadata and study lists kept in memory (this
 * server's, or the data grid's: see {@link AnswerStoreProducer}), compressed, and given out without
 * asking Orthanc again while they hold (see {@link KeptAnswers} for how, {@link ChangeFollower} for
 * how changes are seen). A background task follows Orthanc's
 * change feed and computes the metadata of series Orthanc reports stable.
 */
@ApplicationScoped
public class MetadataCache implements CacheStatistics {

    private static final Logger LOG = Logger.getLogger(MetadataCache.class.getName());

    @Inject
    GatewayConfig config;
    @Inject
    OrthancClient orthanc;
    @Resource
    ManagedScheduledExecutorService scheduler;
    /** Asked for only when the cache is on: the grid's store creates the grid's caches. */
    @Inject
    Instance<AnswerStore> stores;

    /** Null when the cache is off. */
    private KeptAnswers answers;
    private ScheduledFuture<?> following;
    private volatile boolean feedUnreadable;

    @PostConstruct
    void start() {
        if (!config.cacheEnabled()) {
            LOG.info("Metadata cache off (gateway.cache.enabled=false)");
            return;
        }
        if (config.upstreamUserHeader().isPresent()) {
            LOG.warning("Metadata cache off: Orthanc is told each user's name (gateway.upstream.user-header),"
                    + " so its answers may differ from user to user");
            return;
        }
        long limit = config.cacheLimitBytes();
        if (limit > Runtime.getRuntime().maxMemory() / 2) {
            LOG.warning(() -> "Metadata cache: gateway.cache.max-mb (" + limit / (1024 * 1024) + " MB) is more than half"
                    + " of the server's heap (" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)");
        }
        OrthancArchive archive = new OrthancArchive(orthanc, Duration.ofMillis(config.connectTimeoutMillis()),
                Duration.ofMillis(config.readTimeoutMillis()));
        PublicOrigin firstOrigin = config.publicOrigins().stream().findFirst()
                .orElse(new PublicOrigin("http", "localhost"));
        answers = new KeptAnswers(archive, stores.get(), (int) Math.min(Integer.MAX_VALUE - 8, limit / 4),
                config.cachePrecompute(), firstOrigin);
        following = scheduler.scheduleWithFixedDelay(this::follow, 0, config.cacheFeedIntervalMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info(() -> "Metadata cache on: at most " + limit / (1024 * 1024) + " MB"
                + (config.cachePrecompute() ? ", series computed when Orthanc reports them stable" : ""));
    }

    @PreDestroy
    void stop() {
        if (following != null) {
            following.cancel(true);
        }
    }

    private void follow() {
        try {
            answers.follow();
            if (feedUnreadable) {
                feedUnreadable = false;
                LOG.info("Metadata cache: Orthanc's change feed is readable again");
            }
        } catch (IOException | RuntimeException e) {
            if (!feedUnreadable) {
                feedUnreadable = true;
                LOG.warning(() -> "Metadata cache: cannot follow Orthanc's change feed, requests go to Orthanc"
                        + " until it can (" + e + ")");
            }
        }
    }

    /** Lets series be computed ahead of requests through this route. */
    public void serveFor(KeptRoute route) {
        if (answers != null) {
            answers.serveFor(route);
        }
    }

    /**
     * Answers a GET (or HEAD) of a kept resource from the cache, or through it from Orthanc.
     *
     * @return false when the request is to go to Orthanc as usual (cache off, Orthanc's checks unanswered)
     */
    public boolean answer(KeptRoute route, KeptResource resource, HttpServletRequest request,
                          HttpServletResponse response) throws IOException {
        if (answers == null) {
            return false;
        }
        Optional<Reply> reply;
        try {
            reply = answers.answer(route, resource, PublicOrigin.of(request));
        } catch (UpstreamFailure e) {
            throw e;
        } catch (IOException e) {
            throw UpstreamFailure.of(e);
        }
        if (reply.isEmpty()) {
            return false;
        }
        reply.get().send(request, response);
        return true;
    }

    @Override
    public boolean enabled() {
        return answers != null;
    }

    private Counters counters() {
        return answers == null ? new Counters() : answers.counters();
    }

    private AnswerStore.Usage usage() {
        return answers == null ? new AnswerStore.Usage(0, 0, 0, 0) : answers.usage();
    }

    @Override
    public long hits() {
        return counters().hits.get();
    }

    @Override
    public long misses() {
        return counters().misses.get();
    }

    @Override
    public long invalidations() {
        return counters().invalidations.get();
    }

    @Override
    public long flushes() {
        return counters().flushes.get();
    }

    @Override
    public long evictions() {
        return usage().evictions();
    }

    @Override
    public long precomputed() {
        return counters().precomputed.get();
    }

    @Override
    public long entries() {
        return usage().entries();
    }

    @Override
    public long bytes() {
        return usage().bytes();
    }

    @Override
    public long limitBytes() {
        return usage().limitBytes();
    }

    @Override
    public long feedPosition() {
        return answers == null ? -1 : answers.feedPosition();
    }
}
