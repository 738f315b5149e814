package io.ranker.online;

import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.config.StateSettings;
import io.ranker.explore.ExploreSettings;
import io.ranker.explore.ExposureCounts;
import io.ranker.explore.LocalExposureCounts;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.FeedbackState;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogSettings;
import io.ranker.logging.LogSink;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.util.Locale;

/**
 * The online state that replicas share with {@code ranking.state.store=redis} (the Redis of {@code quarkus.redis.hosts},
 * keys under {@code ranking.state.redis.key-prefix}): feedback dedupe by event id and the served-impression markers
 * ({@link RedisFeedbackState}), and the explorers' exposure counts ({@link RedisExposureCounts}). With {@code local},
 * each replica keeps its own ({@link FeedbackState#NONE}, {@link LocalExposureCounts}) and no Redis client is created.
 */
@ApplicationScoped
public class OnlineStateComponents {
    private static final Logger LOG = Logger.getLogger(OnlineStateComponents.class);

    /** Nothing to copy: the served markers of the local mode are this replica's join window. */
    private static final LogSink NO_SINK = new LogSink() {
        @Override
        public void impression(ImpressionRecord record, byte[] json, int offset, int length) {
        }

        @Override
        public void feedback(FeedbackEvent event, byte[] json, int offset, int length) {
        }
    };

    private final OnlineRedis redis;
    private final RedisFeedbackState feedback;

    public OnlineStateComponents(StateSettings state, LogSettings log, MeterRegistry registry, Instance<Vertx> vertx) {
        String kind = state.store().trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("redis")) {
            if (!kind.equals("local")) {
                throw new IllegalStateException("ranking.state.store must be 'local' or 'redis', not '" + state.store() + "'");
            }
            redis = null;
            feedback = null;
            return;
        }
        String hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                .orElseThrow(() -> new IllegalStateException(
                        "ranking.state.store=redis needs quarkus.redis.hosts (QUARKUS_REDIS_HOSTS), e.g. redis://localhost:6379"));
        boolean cluster = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.client-type", String.class)
                .map(t -> t.equalsIgnoreCase("cluster")).orElse(false);
        redis = new OnlineRedis(vertx.get(), OnlineRedis.parseHosts(hosts), cluster, state.redis().keyPrefix(), registry);
        // connect now, in the background, so the first feedback and the first capped request do not pay for it
        redis.send("connect", io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PING)).whenComplete((r, t) -> {
            if (t != null) LOG.warnf("shared online state: Redis not reachable yet (%s); each replica on its own until it is", t.toString());
        });
        LogSettings.Feedback f = log.feedback();
        feedback = new RedisFeedbackState(redis, f.dedupeTtl(), f.servedTtl(), f.sharedBudget());
        LOG.infof("shared online state in redis %s: feedback dedupe (%s), served impressions (%s), exposure counts",
                hosts, f.dedupeTtl(), f.servedTtl());
    }

    @Produces
    @Singleton
    FeedbackState feedbackState() {
        return feedback != null ? feedback : FeedbackState.NONE;
    }

    /** Marks every impression, once durable, as served for the other replicas (connected to the log as a sink). */
    @Produces
    @Singleton
    LogSink servedMarkers() {
        return feedback != null ? feedback : NO_SINK;
    }

    @Produces
    @Singleton
    ExposureCounts exposureCounts(ExploreSettings explore) {
        return redis != null ? new RedisExposureCounts(redis, explore.exposureBudget()) : new LocalExposureCounts();
    }

    @PreDestroy
    void close() {
        if (redis != null) redis.close();
    }
}
