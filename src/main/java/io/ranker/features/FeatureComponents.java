package io.ranker.features;

import io.ranker.catalog.CatalogSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.config.RankingSettings;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CDI wiring of the feature stage: the schema, the store chosen by {@code ranking.features.store}, the hydrator,
 * the counter hook and the bulk-write service. With {@code memory}, no Redis client is ever created.
 */
@ApplicationScoped
public class FeatureComponents {
    private static final Logger LOG = Logger.getLogger(FeatureComponents.class);

    @Produces
    @ApplicationScoped
    FeatureSchema schema(FeatureSettings settings, RankingSettings ranking) {
        Path file = Path.of(settings.schemaFile().orElse(ranking.configDir() + "/features.yaml"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("feature schema " + file.toAbsolutePath() + " not found: set ranking.features.schema-file"
                    + " or ranking.config-dir");
        }
        try {
            FeatureSchema schema = FeatureSchema.load(file);
            LOG.infof("feature schema %s: %d columns, version %s", file, schema.width(), schema.version());
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Produces
    @ApplicationScoped
    FeatureStore store(FeatureSettings settings, Instance<Vertx> vertx) {
        FeatureKeys keys = new FeatureKeys(settings.redis().buckets());
        String kind = settings.store().trim().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "memory":
                return new InMemoryFeatureStore(keys);
            case "redis": {
                String hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                        .orElseThrow(() -> new IllegalStateException(
                                "ranking.features.store=redis needs quarkus.redis.hosts (QUARKUS_REDIS_HOSTS), e.g. redis://localhost:6379"));
                boolean cluster = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.client-type", String.class)
                        .map(t -> t.equalsIgnoreCase("cluster")).orElse(false);
                List<String> hostList = RedisFeatureStore.parseHosts(hosts);
                LOG.infof("feature store: redis %s %s, %d buckets", cluster ? "cluster" : "standalone", hostList, keys.buckets());
                RedisFeatureStore store = new RedisFeatureStore(vertx.get(), hostList, cluster, keys);
                // connect now, in the background, so the first request does not pay for it; failure is not fatal
                store.ping().whenComplete((v, t) -> {
                    if (t != null) LOG.warnf("feature store: Redis not reachable yet (%s); serving degraded until it is", t.toString());
                });
                return store;
            }
            default:
                throw new IllegalStateException("ranking.features.store must be 'memory' or 'redis', not '" + settings.store() + "'");
        }
    }

    void closeStore(@Disposes FeatureStore store) {
        store.close();
    }

    @Produces
    @ApplicationScoped
    StoreFeatureHydrator hydrator(FeatureSchema schema, FeatureStore store, FeatureSettings settings, Instance<MeterRegistry> registry) {
        StoreFeatureHydrator.Settings s = new StoreFeatureHydrator.Settings(settings.budgetMs(), settings.cache().ttlMs(),
                settings.cache().staleMs(), settings.cache().maxEntries(), settings.breaker().failures(), settings.breaker().openMs());
        return new StoreFeatureHydrator(schema, store, s,
                registry.isResolvable() ? new FeatureMetrics(registry.get()) : FeatureMetrics.NONE);
    }

    /**
     * The users' seen history for exclude_seen rules: in Redis when the features are (shared by every replica),
     * otherwise in memory (this replica only). Replaces the policy stage's in-memory default bean.
     */
    @Produces
    @jakarta.inject.Singleton
    io.ranker.policy.SeenItems seenItems(FeatureStore store, StoreFeatureHydrator hydrator, FeatureSettings settings,
                                         io.ranker.policy.PolicySettings policy) {
        // the store bean is application-scoped: a client proxy, so look at the instance behind it
        if (io.quarkus.arc.ClientProxy.unwrap(store) instanceof RedisFeatureStore redis) {
            return new RedisSeenItems(redis, policy.seenMaxPerUser(), RedisSeenItems.DEFAULT_RETENTION_MILLIS,
                    settings.budgetMs(), hydrator.breaker());
        }
        return new io.ranker.policy.InMemorySeenItems(policy.seenMaxPerUser(), policy.seenMaxEvents(),
                io.ranker.policy.InMemorySeenItems.DEFAULT_IDLE);
    }

    @Produces
    @ApplicationScoped
    FeedbackCounters counters(FeatureStore store, FeatureSchema schema) {
        return new FeedbackCounters(store, schema.counters());
    }

    @Produces
    @ApplicationScoped
    FeatureIngest ingest(FeatureSchema schema, FeatureStore store, StoreFeatureHydrator hydrator, CatalogSettings catalog) {
        return new FeatureIngest(schema, store, System::currentTimeMillis, hydrator::written, catalog.vectorDimension());
    }
}
