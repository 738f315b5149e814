package io.ranker.catalog.changelog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Index snapshots of the shared catalog ({@code ranking.catalog.snapshot.*}): where they are kept, how often one
 * replica of the cluster takes one, how many are kept. Only with {@code ranking.state.store=redis}.
 */
@ConfigMapping(prefix = "ranking.catalog.snapshot")
public interface SnapshotSettings {
    /**
     * The snapshot store: a directory, e.g. a volume every replica mounts. A replica starting with an empty index
     * restores the newest snapshot from it; without it, a new replica replays the whole changelog.
     */
    Optional<String> dir();

    /** Take a snapshot this often (one replica per period, chosen through Redis); none when unset. */
    Optional<Duration> every();

    /** Snapshots kept; older ones are deleted after each new one. */
    @WithDefault("3")
    int keep();

    /** Trim the changelog up to the oldest snapshot kept after each new one. */
    @WithDefault("true")
    boolean trim();
}
