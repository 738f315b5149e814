package io.ranker.logging;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Service settings of the impression and feedback log ({@code ranking.log.*}, {@code RANKING_LOG_...}). */
@ConfigMapping(prefix = "ranking.log")
public interface LogSettings {
    /** Segment directory; default {@code <ranking.data-dir>/logs}. */
    Optional<String> dir();

    /** How often appended bytes are forced to disk; 0 forces on every append (slow, strongest). */
    @WithName("fsync-interval")
    @WithDefault("200ms")
    Duration fsyncInterval();

    /** A segment is closed and compressed when it would grow past this. */
    @WithName("segment-size")
    @WithDefault("64M")
    MemorySize segmentSize();

    /** ... or when it is this old and holds at least one record. */
    @WithName("segment-age")
    @WithDefault("1h")
    Duration segmentAge();

    /** Gzip closed segments. */
    @WithDefault("true")
    boolean compress();

    Retention retention();

    /**
     * Share of impressions (0..1) logged with their full candidate set and feature values; what the
     * pipeline's {@code ImpressionRecordBuilder} is constructed with (it decides per request from the seed).
     */
    @WithName("candidate-sample-rate")
    @WithDefault("0.01")
    double candidateSampleRate();

    /**
     * Item attributes logged with candidate sets besides those the surface's live rules read (always logged, so the
     * live rule set replays exactly): the attributes of the replay report's exposure shift and any a rule you mean to
     * dry-run before it is live will read.
     */
    @WithName("candidate-attributes")
    @WithDefault("category,brand")
    java.util.List<String> candidateAttributes();

    /** How many recent impression ids each replica remembers to join feedback as it arrives. */
    @WithName("join-window")
    @WithDefault("50000")
    int joinWindow();

    /** Whether /q/health/ready goes DOWN while the log fails (default: stay UP, report it in the check's data). */
    @WithName("readiness-down-when-failing")
    @WithDefault("false")
    boolean readinessDownWhenFailing();

    Feedback feedback();

    Stream stream();

    /** Optional copy of every record to a Redis stream, for multi-replica consumers. Off by default. */
    interface Stream {
        @WithDefault("false")
        boolean enabled();

        /** Redis to write to (redis://host:port); the one under quarkus.redis.hosts when unset. */
        @WithName("redis-url")
        Optional<String> redisUrl();

        @WithDefault("ranker:log")
        String key();

        /** Stream length kept by XADD MAXLEN (approximate trimming). */
        @WithName("max-len")
        @WithDefault("1000000")
        long maxLen();

        /** Records waiting for Redis beyond this are dropped and counted rather than waited for. */
        @WithName("max-queued")
        @WithDefault("10000")
        int maxQueued();
    }

    interface Retention {
        /** Closed segments older than this are deleted; 0 keeps them forever. */
        @WithName("max-age")
        @WithDefault("14d")
        Duration maxAge();

        /** Oldest closed segments are deleted while the directory holds more; 0 means no limit. */
        @WithName("max-size")
        @WithDefault("0")
        MemorySize maxSize();
    }

    interface Feedback {
        /** Accepted feedback types; anything else is a 400. */
        @WithDefault("click,conversion,add_to_cart,purchase,dwell,like,dislike,skip,share,hide")
        List<String> types();

        /** How many recent event ids are remembered to drop retried events. */
        @WithName("dedupe-window")
        @WithDefault("100000")
        int dedupeWindow();

        /** Timestamps further in the future than this are rejected (clock skew allowance). */
        @WithName("max-future-skew")
        @WithDefault("5m")
        Duration maxFutureSkew();

        /** Timestamps older than this are rejected. */
        @WithName("max-age")
        @WithDefault("30d")
        Duration maxAge();
    }

    default LogConfig toConfig(String dataDir) {
        return new LogConfig(java.nio.file.Path.of(dir().orElse(dataDir + "/logs")), fsyncInterval(),
                segmentSize().asLongValue(), segmentAge(), retention().maxAge(), retention().maxSize().asLongValue(),
                compress(), joinWindow());
    }

    default FeedbackRules toRules() {
        return new FeedbackRules(java.util.Set.copyOf(feedback().types()), feedback().dedupeWindow(),
                feedback().maxFutureSkew(), feedback().maxAge());
    }
}
