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
    /**
     * The log root; default {@code <ranking.data-dir>/logs}. Each replica writes under {@code <root>/<replica-id>/},
     * so several replicas may share one root (a ReadWriteMany volume) and readers read it as one log.
     */
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

    Kafka kafka();

    /**
     * Optional copy of every record to a Kafka topic, for downstream data platforms (off by default). The local segment
     * stays the record of truth, written and acknowledged first; the copy is at-least-once while the replica runs.
     */
    interface Kafka {
        @WithDefault("false")
        boolean enabled();

        /** {@code host:port[,host:port]}; required when enabled. */
        @WithName("bootstrap-servers")
        Optional<String> bootstrapServers();

        /** One topic for impressions and feedback (the record's {@code kind} tells them apart), keyed by impression id. */
        @WithDefault("ranker-log")
        String topic();

        /**
         * Bytes of records waiting to be handed to the producer: beyond this, records are dropped and counted
         * ({@code ranker.log.kafka.dropped{reason="queue-full"}}) rather than waited for. The producer's own buffer
         * ({@code buffer.memory}, 32M by default) comes on top.
         */
        @WithName("max-queued")
        @WithDefault("64M")
        MemorySize maxQueued();

        /**
         * Further producer settings, passed to kafka-clients as they are, e.g.
         * {@code ranking.log.kafka.properties."security.protocol"=SASL_SSL}; they may not weaken the at-least-once
         * settings (acks, idempotence).
         */
        java.util.Map<String, String> properties();
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

        /**
         * With the shared store ({@code ranking.state.store=redis}): how long an event id stays claimed in Redis, so
         * the same event sent to another replica within it is a duplicate.
         */
        @WithName("dedupe-ttl")
        @WithDefault("1h")
        Duration dedupeTtl();

        /**
         * With the shared store: how long a served impression stays known to every replica (for feedback received by
         * another replica than the one that served it; about 250 bytes of Redis per impression for this long).
         */
        @WithName("served-ttl")
        @WithDefault("1h")
        Duration servedTtl();

        /**
         * With the shared store: how long a feedback submission waits for Redis (the event id claim, and whether an
         * impression served by another replica exists); past it, the event is accepted as not a duplicate and does not
         * count in real time, and the miss is counted.
         */
        @WithName("shared-budget")
        @WithDefault("20ms")
        Duration sharedBudget();

        /** Timestamps further in the future than this are rejected (clock skew allowance). */
        @WithName("max-future-skew")
        @WithDefault("5m")
        Duration maxFutureSkew();

        /** Timestamps older than this are rejected. */
        @WithName("max-age")
        @WithDefault("30d")
        Duration maxAge();
    }

    /** The log root: {@code ranking.log.dir}, else {@code <dataDir>/logs}. */
    default java.nio.file.Path root(String dataDir) {
        return java.nio.file.Path.of(dir().orElse(dataDir + "/logs"));
    }

    /** Replica {@code replicaId}'s log: segments under {@code <root>/<replicaId>/}. */
    default LogConfig toConfig(String dataDir, String replicaId) {
        return new LogConfig(root(dataDir), fsyncInterval(), segmentSize().asLongValue(), segmentAge(), retention().maxAge(),
                retention().maxSize().asLongValue(), compress(), joinWindow(), null).inReplicaDir(root(dataDir), replicaId);
    }

    default FeedbackRules toRules() {
        return new FeedbackRules(java.util.Set.copyOf(feedback().types()), feedback().dedupeWindow(),
                feedback().maxFutureSkew(), feedback().maxAge());
    }
}
