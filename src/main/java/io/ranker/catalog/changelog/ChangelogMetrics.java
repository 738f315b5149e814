package io.ranker.catalog.changelog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The shared catalog's metrics, registered only with the changelog on (the alert rules stay silent without it):
 * <ul>
 *   <li>{@code ranker_catalog_lag_entries}: entries in the stream this replica has not applied;</li>
 *   <li>{@code ranker_catalog_lag_seconds}: age of the oldest of them (0 when caught up);</li>
 *   <li>{@code ranker_catalog_changelog_applied_total}, {@code ..._skipped_total}: entries applied, and skipped
 *       as unreadable (the same on every replica);</li>
 *   <li>{@code ranker_catalog_changelog_up}: 1 while Redis answers, 0 while unreachable or failed;</li>
 *   <li>{@code ranker_catalog_visibility_seconds}: from an entry's append (the Redis clock) to searchable on this
 *       replica (this replica's clock: subject to clock skew across hosts), after the first catch-up.</li>
 * </ul>
 */
final class ChangelogMetrics {
    private ChangelogMetrics() {
    }

    static void register(MeterRegistry registry, ChangelogTailer tailer) {
        Gauge.builder("ranker.catalog.lag.entries", tailer, ChangelogTailer::lagEntries)
                .description("catalog changelog entries this replica has not applied yet").register(registry);
        Gauge.builder("ranker.catalog.lag.seconds", tailer, t -> t.lagMillis() / 1000.0)
                .description("age of the oldest catalog changelog entry this replica has not applied (0 when caught up)").register(registry);
        FunctionCounter.builder("ranker.catalog.changelog.applied", tailer.applier(), ChangelogApplier::appliedCount)
                .description("catalog changelog entries applied to this replica's index").register(registry);
        FunctionCounter.builder("ranker.catalog.changelog.skipped", tailer.applier(), ChangelogApplier::skippedCount)
                .description("catalog changelog entries no replica can apply (skipped, logged; see GET /v1/catalog/changelog)").register(registry);
        Gauge.builder("ranker.catalog.changelog.up", tailer, t -> t.state() == ChangelogTailer.State.FOLLOWING ? 1 : 0)
                .description("1 while this replica follows the catalog changelog, 0 while Redis is unreachable or the index cannot follow it")
                .register(registry);
        Timer visibility = Timer.builder("ranker.catalog.visibility")
                .description("from a catalog write's append to the changelog to searchable on this replica")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        tailer.onVisible(ms -> visibility.record(ms, TimeUnit.MILLISECONDS));
    }
}
