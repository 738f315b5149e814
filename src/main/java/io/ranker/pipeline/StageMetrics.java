package io.ranker.pipeline;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-stage latency ({@code ranking.stage} timer, tags {@code stage} and {@code surface}: both low
 * cardinality) and candidate counts per source ({@code ranking.candidates}). Exported by Prometheus as
 * {@code ranking_stage_seconds} and {@code ranking_candidates}; degradations and failed side effects are counted
 * ({@code ranking_degraded_total}, {@code ranking_side_effect_failures_total}).
 */
public final class StageMetrics {
    /** Records nothing: for replay and tests, which rank outside any service. */
    public static final StageMetrics NONE = new StageMetrics(null);

    /** Null: {@link #NONE}. */
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> counts = new ConcurrentHashMap<>();

    public StageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String surface, String stage, long nanos) {
        if (registry == null) return;
        timers.computeIfAbsent(surface + '\0' + stage, k -> Timer.builder("ranking.stage")
                .description("Latency of one ranking stage")
                .tag("stage", stage).tag("surface", surface)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void candidates(String surface, String source, int count) {
        if (registry == null) return;
        counts.computeIfAbsent(surface + '\0' + source, k -> DistributionSummary.builder("ranking.candidates")
                .description("Candidates returned by one retrieval source per request")
                .tag("source", source).tag("surface", surface)
                .register(registry)).record(count);
    }

    public void degraded(String surface, String what) {
        if (registry == null) return;
        // The reason's first segment only ("features", "retrieval.vector", "log") keeps cardinality bounded.
        String kind = what.contains(":") ? what.substring(0, what.indexOf(':')) : what;
        registry.counter("ranking.degraded", "surface", surface, "what", kind).increment();
    }

    /** A side effect failed (it threw, or reported failure): the request was served anyway. */
    public void sideEffectFailed(String surface, String effect) {
        if (registry == null) return;
        registry.counter("ranking.side_effect.failures", "surface", surface, "effect", effect).increment();
    }
}
