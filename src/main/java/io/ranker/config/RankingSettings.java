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

    Admin admin();

    interface Admin {
        /** Bearer token for admin operations; when unset, admin operations are refused (403). */
        Optional<String> token();
    }
}
