package io.ranker.explore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** Service settings of the explore stage ({@code ranking.explore.*}); each surface's explorer is in its pipeline file. */
@ConfigMapping(prefix = "ranking.explore")
public interface ExploreSettings {
    /**
     * With the shared store: how long a request waits for the exposure counts of its candidates (one Redis read, only on
     * surfaces with an {@code exposure-limit}); past it, this replica's own counts decide, and the miss is counted.
     */
    @WithName("exposure-budget")
    @WithDefault("5ms")
    Duration exposureBudget();
}
