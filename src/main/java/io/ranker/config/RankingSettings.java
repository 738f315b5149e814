package io.ranker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/**
 * Service-level settings under the {@code ranking.} prefix ({@code RANKING_...} in the environment).
 * Each stage keeps its own settings in its own mapping ({@code ranking.features.*}, {@code ranking.log.*}, ...);
 * ranking configuration that product owners own lives in {@code ranking-config/}, not here.
 */
@ConfigMapping(prefix = "ranking")
public interface RankingSettings {
    /** Where the index, models, policy versions and impression logs live. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    /** The versioned ranking configuration (pipelines, policies, models.yaml, features.yaml). */
    @WithName("config-dir")
    @WithDefault("ranking-config")
    String configDir();

    /**
     * This replica's id ({@code RANKING_REPLICA_ID}): names its impression log directory and segments and is recorded in
     * every record it logs. Absent: the host name (the pod name on Kubernetes), see {@link ReplicaId#resolve}.
     */
    @WithName("replica-id")
    Optional<String> replicaId();

    Admin admin();

    interface Admin {
        /** Bearer token for admin operations; when unset, admin operations are refused (403). */
        Optional<String> token();
    }
}
