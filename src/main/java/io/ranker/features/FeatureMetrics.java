package io.ranker.features;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer meters of the feature stage: per group, the age of the oldest value used
 * ({@code ranker_features_age_seconds}) and the missing share ({@code ranker_features_missing_share}), per
 * request; degradations by reason ({@code ranker_features_degraded_total}). {@link #NONE} records nothing.
 */
public class FeatureMetrics {
    public static final FeatureMetrics NONE = new FeatureMetrics(null);

    private final MeterRegistry registry;
    private final Map<String, DistributionSummary> age = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> missing = new ConcurrentHashMap<>();

    public FeatureMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(FeatureHealth health) {
        if (registry == null) return;
        health.groups().forEach((group, h) -> {
            age.computeIfAbsent(group, g -> DistributionSummary.builder("ranker.features.age.seconds")
                    .description("Age of the oldest stored feature value used, per request").baseUnit("seconds")
                    .tag("group", g).publishPercentiles(0.5, 0.99).register(registry)).record(h.maxAgeMillis() / 1000.0);
            missing.computeIfAbsent(group, g -> DistributionSummary.builder("ranker.features.missing.share")
                    .description("Share of feature cells missing, per request").tag("group", g)
                    .register(registry)).record(h.missingShare());
        });
    }

    void degraded(String reason) {
        if (registry != null) registry.counter("ranker.features.degraded", "reason", reason).increment();
    }

    /** Gauges of the breaker and the cache (called once by the hydrator). */
    void bind(CircuitBreaker breaker, HotFeatureCache cache, String store) {
        if (registry == null) return;
        registry.gauge("ranker.features.breaker.open", java.util.List.of(io.micrometer.core.instrument.Tag.of("store", store)),
                breaker, b -> b.isOpen() ? 1 : 0);
        registry.gauge("ranker.features.cache.size", cache, HotFeatureCache::size);
    }
}
