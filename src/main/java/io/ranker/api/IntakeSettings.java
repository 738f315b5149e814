package io.ranker.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** How request bodies are received ({@code ranking.http.*}); see {@link BodyIntake}. */
@ConfigMapping(prefix = "ranking.http")
public interface IntakeSettings {
    /** A body may take this long to start arriving at speed... */
    @WithName("body-grace")
    @WithDefault("10s")
    Duration bodyGrace();

    /** ...after which it must have arrived at this average rate (bytes per second), or it is refused with 408. */
    @WithName("body-min-rate")
    @WithDefault("64K")
    MemorySize bodyMinRate();

    /** Uploads (bodies allowed above 1 MiB: catalog, features, models) received at once; more get 503 at once. */
    @WithName("max-concurrent-uploads")
    @WithDefault("4")
    int maxConcurrentUploads();

    /** Bodies beyond this many bytes are spooled to a file as they arrive instead of kept in memory. */
    @WithName("spool-threshold")
    @WithDefault("1M")
    MemorySize spoolThreshold();

    /** Where spooled bodies go (default {@code <data-dir>/tmp/bodies}); each file is deleted when its request ends. */
    @WithName("spool-dir")
    Optional<String> spoolDir();
}
