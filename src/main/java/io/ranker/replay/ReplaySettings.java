package io.ranker.replay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of replay jobs run by the service ({@code ranking.replay.*}). */
@ConfigMapping(prefix = "ranking.replay")
public interface ReplaySettings {
    /** Replay jobs running at once; the others wait in the queue. */
    @WithDefault("1")
    int threads();

    /** Jobs waiting to run; a submission beyond this is refused with 503. */
    @WithName("queue-size")
    @WithDefault("8")
    int queueSize();

    /** Finished jobs kept in memory (least recently used dropped first; results stay on disk). */
    @WithName("max-jobs")
    @WithDefault("50")
    int maxJobs();

    /** Bootstrap replicates behind each confidence interval. */
    @WithName("bootstrap-replicates")
    @WithDefault("200")
    int bootstrapReplicates();

    /** Replay jobs one caller (API key) may have queued or running at once on a replica; more get 429. */
    @WithName("max-active-per-caller")
    @WithDefault("2")
    int maxActivePerCaller();

    /** A job running longer than this is stopped and reported failed (kind "limit"). */
    @WithName("time-limit")
    @WithDefault("15m")
    java.time.Duration timeLimit();

    /** A job whose thread has used more CPU than this is stopped and reported failed (kind "limit"). */
    @WithName("cpu-limit")
    @WithDefault("15m")
    java.time.Duration cpuLimit();

    /**
     * How long a finished job's result stays readable: the shared state store expires it, the data directory's files
     * are deleted by the hourly prune.
     */
    @WithName("result-ttl")
    @WithDefault("7d")
    java.time.Duration resultTtl();

    /** At most this many results are kept in the data directory; the oldest go first. */
    @WithName("max-stored")
    @WithDefault("200")
    int maxStored();

    /** Progress is updated every this many impressions read. */
    @WithName("progress-every")
    @WithDefault("1000")
    int progressEvery();
}
