package io.ranker.logging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.ranker.auth.ImpressionSigner;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * Builds the service's log from {@code ranking.log.*}: one {@link SegmentImpressionLog} (injectable as
 * {@link ImpressionLog}, {@link FeedbackLog} or itself), the {@link FeedbackService} with every
 * {@link FeedbackListener} bean connected.
 */
@ApplicationScoped
public class ImpressionLogProducer {

    @Produces
    @Singleton
    SegmentImpressionLog impressionLog(RankingSettings ranking, LogSettings settings, MeterRegistry registry,
                                       Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts) {
        SegmentImpressionLog log = new SegmentImpressionLog(settings.toConfig(ranking.dataDir()), Clock.systemUTC(), registry);
        LogSettings.Stream stream = settings.stream();
        if (stream.enabled()) {
            String url = stream.redisUrl().or(() -> redisHosts.map(h -> h.split(",")[0].trim())).orElse("redis://localhost:6379");
            redisClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
            log.setSink(new RedisStreamSink(redisClient, stream.key(), stream.maxLen(), true, stream.maxQueued(), registry));
            LOG.infof("impression log: copying records to Redis stream %s at %s", stream.key(), url);
        }
        return log;
    }

    private static final Logger LOG = Logger.getLogger(ImpressionLogProducer.class);
    private volatile Redis redisClient;

    void close(@Disposes SegmentImpressionLog log) {
        log.close(); // forces the active segment to disk on shutdown
        if (redisClient != null) redisClient.close();
    }

    @Produces
    @Singleton
    FeedbackService feedbackService(SegmentImpressionLog log, LogSettings settings, MeterRegistry registry,
                                    @Any Instance<FeedbackListener> listeners, ImpressionSigner signer) {
        FeedbackService service = new FeedbackService(log, settings.toRules(), Clock.systemUTC(), registry);
        service.verifyImpressionIds(signer::authentic);
        listeners.forEach(service::addListener);
        return service;
    }

    /** Opens the log (and runs recovery) at startup rather than on the first request. */
    void onStart(@Observes StartupEvent ev, SegmentImpressionLog log) {
        log.healthy();
    }
}
