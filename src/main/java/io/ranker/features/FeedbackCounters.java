package io.ranker.features;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The real-time counter hook: served impressions and feedback events update each item's decayed impression and
 * click counts in the store (atomically per item: a Lua script in Redis), which the schema exposes as features
 * ({@code counter:ctr}, the smoothed CTR). Never throws and never blocks: failures are counted and logged.
 * Call {@link #onImpression} after a list was served, {@link #onFeedback} for each feedback event.
 */
public final class FeedbackCounters {
    private static final Logger LOG = Logger.getLogger(FeedbackCounters.class);

    private final FeatureStore store;
    private final FeatureSchema.CounterSettings settings;
    private final LongSupplier clock;
    private final AtomicLong failures = new AtomicLong();

    public FeedbackCounters(FeatureStore store, FeatureSchema.CounterSettings settings) {
        this(store, settings, System::currentTimeMillis);
    }

    public FeedbackCounters(FeatureStore store, FeatureSchema.CounterSettings settings, LongSupplier clockMillis) {
        this.store = store;
        this.settings = settings;
        this.clock = clockMillis;
    }

    /** One impression for each shown item. */
    public CompletableFuture<Void> onImpression(Collection<String> itemIds) {
        List<FeatureStore.CounterDelta> deltas = new ArrayList<>(itemIds.size());
        for (String id : itemIds) deltas.add(new FeatureStore.CounterDelta(id, 1, 0));
        return apply(deltas);
    }

    /** A click on an item; other feedback types (conversion, ...) do not change the CTR counters. */
    public CompletableFuture<Void> onFeedback(String itemId, String type) {
        if (itemId == null || type == null || !type.toLowerCase(Locale.ROOT).equals("click")) {
            return CompletableFuture.completedFuture(null);
        }
        return apply(List.of(new FeatureStore.CounterDelta(itemId, 0, 1)));
    }

    /** Counter updates that failed since start (store unavailable). */
    public long failures() {
        return failures.get();
    }

    private CompletableFuture<Void> apply(List<FeatureStore.CounterDelta> deltas) {
        if (deltas.isEmpty()) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> f;
        try {
            f = store.addCounts(deltas, clock.getAsLong(), settings.halfLifeMillis());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionally(t -> {
            if (failures.incrementAndGet() % 1000 == 1) LOG.warnf("feature counters not updated (%d failures so far): %s", failures.get(), t.toString());
            return null;
        });
    }
}
