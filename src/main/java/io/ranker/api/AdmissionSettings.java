package io.ranker.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Admission control of {@code /v1/rank} ({@code ranking.admission.*}); see {@link AdmissionGate}. */
@ConfigMapping(prefix = "ranking.admission")
public interface AdmissionSettings {
    /**
     * Ranking requests running at once; 0 = 8 per available processor (at least 4). Ranking is mostly CPU with
     * short waits on Redis, so a few per core keep the cores busy; more only lengthen everyone's latency.
     */
    @WithName("max-in-flight")
    @WithDefault("0")
    int maxInFlight();

    /** How long a request may wait for a slot before it is refused with 503. */
    @WithName("max-wait-ms")
    @WithDefault("50")
    long maxWaitMillis();

    default int effectiveMaxInFlight() {
        return maxInFlight() > 0 ? maxInFlight() : Math.max(4, 8 * Runtime.getRuntime().availableProcessors());
    }
}
