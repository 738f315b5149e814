package io.ranker.features;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/**
 * Service settings of the feature stage, prefix {@code ranking.features} ({@code RANKING_FEATURES_...}).
 * Redis hosts and client type come from Quarkus' own {@code quarkus.redis.hosts} and
 * {@code quarkus.redis.client-type} ({@code QUARKUS_REDIS_HOSTS}), so the usual variables work.
 */
@ConfigMapping(prefix = "ranking.features")
public interface FeatureSettings {

    /** {@code memory} (embedded, default) or {@code redis}. With memory, nothing connects to Redis. */
    @WithDefault("memory")
    String store();

    /** The schema file; default {@code <ranking.config-dir>/features.yaml}. */
    @WithName("schema-file")
    Optional<String> schemaFile();

    /** The most a request waits for the store, in milliseconds; then cache or NaN, and {@code degraded}. */
    @WithName("budget-ms")
    @WithDefault("20")
    long budgetMs();

    /** Largest accepted {@code PUT /v1/features} batch (rows); larger batches are refused whole (413). */
    @WithName("max-batch-rows")
    @WithDefault("5000")
    int maxBatchRows();

    Cache cache();

    Breaker breaker();

    Redis redis();

    interface Cache {
        /** Hot values younger than this skip the store; 0 disables the cache. */
        @WithName("ttl-ms")
        @WithDefault("2000")
        long ttlMs();

        /** How long a cached value may stand in when the store fails. */
        @WithName("stale-ms")
        @WithDefault("300000")
        long staleMs();

        @WithName("max-entries")
        @WithDefault("50000")
        int maxEntries();
    }

    interface Breaker {
        /** Consecutive failures (errors or timeouts) that open the breaker. */
        @WithDefault("3")
        int failures();

        /** While open, one background probe per this many milliseconds. */
        @WithName("open-ms")
        @WithDefault("1000")
        long openMs();
    }

    interface Redis {
        /** Hash-tag buckets of the key layout (see FeatureKeys); fixed per deployment. */
        @WithDefault("64")
        int buckets();
    }
}
