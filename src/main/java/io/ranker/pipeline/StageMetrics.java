package io.ranker.pipeline;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-stage latency ({@code ranker.stage} timer, tags {@code stage} and {@code surface}: both low
 * cardinality) and candidate counts per source ({@code ranker.candidates}). Exported by Prometheus as
 * {@code ranker_stage_seconds} and {@code ranker_candidates}. The surface's total budget (pipeline file,
 * {@code budgets.totalMs}) is a gauge beside its timer, {@code ranker_stage_budget_seconds{stage="total"}}, so
 * an alert compares the p99 with the budget the surface is served with, reloads included.
 * Degradations and failed side effects are counted ({@code ranker_degraded_total},
 * {@code ranker_side_effect_failures_total}).
 */
public final class StageMetrics {
    /** Records nothing: for replay and tests, which rank outside any service. */
    public static final StageMetrics NONE = new StageMetrics(null);

    /** Null: {@link #NONE}. */
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> budgetsMillis = new ConcurrentHashMap<>();

    public StageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String surface, String stage, long nanos) {
        if (registry == null) return;
        timers.computeIfAbsent(surface + '\0' + stage, k -> Timer.builder("ranker.stage")
                .description("Latency of one ranking stage")
                .tag("stage", stage).tag("surface", surface)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The total budget the surface was served with; called per request, so a reloaded budget shows at once. */
    public void totalBudget(String surface, long millis) {
        if (registry == null) return;
        budgetsMillis.computeIfAbsent(surface, k -> {
            AtomicLong value = new AtomicLong(millis);
            Gauge.builder("ranker.stage.budget", value, v -> v.get() / 1000.0).baseUnit("seconds")
                    .description("Latency budget of a stage (pipeline file budgets.*Ms)")
                    .tag("stage", "total").tag("surface", surface).register(registry);
            return value;
        }).set(millis);
    }

    public void candidates(String surface, String source, int count) {
        if (registry == null) return;
        counts.computeIfAbsent(surface + '\0' + source, k -> DistributionSummary.builder("ranker.candidates")
                .description("Candidates returned by one retrieval source per request")
                .tag("source", source).tag("surface", surface)
                .register(registry)).record(count);
    }

    public void degraded(String surface, String what) {
        if (registry == null) return;
        // The reason's first segment only ("features", "retrieval.vector", "log") keeps cardinality bounded.
        String kind = what.contains(":") ? what.substring(0, what.indexOf(':')) : what;
        registry.counter("ranker.degraded", "surface", surface, "what", kind).increment();
    }

    /** A side effect failed (it threw, or reported failure): the request was served anyway. */
    public void sideEffectFailed(String surface, String effect) {
        if (registry == null) return;
        registry.counter("ranker.side_effect.failures", "surface", surface, "effect", effect).increment();
    }
}
