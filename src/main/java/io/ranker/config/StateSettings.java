package io.ranker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * Where the state that every replica must agree on lives ({@code ranking.state.*}, {@code RANKING_STATE_...}):
 * policy versions and live pointers, model artifacts and routing, exploration switches, replay jobs.
 * {@code local} (the default): files under the data directory, one node. {@code redis}: the Redis named by
 * {@code quarkus.redis.hosts} (standalone or Cluster, as for the features) is the source of truth and every
 * replica keeps an in-memory copy that follows it.
 */
@ConfigMapping(prefix = "ranking.state")
public interface StateSettings {
    /** {@code local} or {@code redis}. */
    @WithDefault("local")
    String store();

    /** Settings of the Redis store; ignored with {@code local}. */
    Redis redis();

    interface Redis {
        /** Prefix of every key and channel; replicas that share a prefix share their state. */
        @WithName("key-prefix")
        @WithDefault("ranker")
        String keyPrefix();

        /**
         * How often a replica compares the store's revision counters with what it serves (one HGETALL), to catch a
         * change notice it missed; together with the notices, the bound on how late a replica serves a change.
         */
        @WithName("check-interval")
        @WithDefault("500ms")
        Duration checkInterval();

        /** Longest wait for one Redis command; an admin write that cannot commit within it answers 503. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * How long a starting replica waits for another replica's first-start work (the demo model, trained once
         * per cluster) before it starts without it; it still picks it up when it arrives.
         */
        @WithName("seed-wait")
        @WithDefault("5m")
        Duration seedWait();

        /** Model artifacts are stored in chunks of this many bytes (Redis values stay small). */
        @WithName("chunk-bytes")
        @WithDefault("1048576")
        int chunkBytes();
    }
}
