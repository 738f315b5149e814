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

    /** How long a finished job's result stays readable in the shared state store (the local store keeps files). */
    @WithName("result-ttl")
    @WithDefault("7d")
    java.time.Duration resultTtl();

    /** Progress is updated every this many impressions read. */
    @WithName("progress-every")
    @WithDefault("1000")
    int progressEvery();
}
