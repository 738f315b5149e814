package io.ranker.features;

import io.ranker.core.FeatureHydrator;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fills each candidate's feature vector from the store with one batched read for all candidates and the user,
 * plus request-time, retrieval and cross features computed here. Waits for the store at most
 * {@link Settings#budgetMillis}; on timeout or error it uses the local cache (even stale), then NaN, and names
 * the reason in {@code degraded} ("features:timeout", "features:unavailable", "features:circuit-open").
 * Composes three parts: the {@link StoreReader} (hot cache, circuit breaker, deadline), the {@link ColumnPlan}
 * (the schema compiled into per-kind column loops) and a {@link HealthTally} per request (what
 * {@link FeatureHealth} reports). Thread-safe; one instance per deployment.
 */
public final class StoreFeatureHydrator implements FeatureHydrator {

    /**
     * @param budgetMillis      the most a request waits for the store
     * @param cacheTtlMillis    hot values younger than this skip the store (0 disables the cache)
     * @param cacheStaleMillis  how long a cached value may serve as fallback when the store fails
     * @param cacheMaxEntries   cache size bound (keys; an item has two: features and counters)
     * @param breakerFailures   consecutive failures that open the circuit breaker
     * @param breakerOpenMillis time between probes while open
     */
    public record Settings(long budgetMillis, long cacheTtlMillis, long cacheStaleMillis, int cacheMaxEntries,
                           int breakerFailures, long breakerOpenMillis) {
        public static final Settings DEFAULT = new Settings(20, 2_000, 300_000, 50_000, 3, 1_000);
    }

    private final FeatureSchema schema;
    private final Settings settings;
    private final FeatureMetrics metrics;
    private final LongSupplier clock;
    private final StoreReader reader;
    private final ColumnPlan plan;

    public StoreFeatureHydrator(FeatureSchema schema, FeatureStore store, Settings settings, FeatureMetrics metrics) {
        this(schema, store, settings, metrics, System::currentTimeMillis);
    }

    public StoreFeatureHydrator(FeatureSchema schema, FeatureStore store, Settings settings, FeatureMetrics metrics,
                                LongSupplier clockMillis) {
        this.schema = schema;
        this.settings = settings;
        this.metrics = metrics == null ? FeatureMetrics.NONE : metrics;
        this.clock = clockMillis;
        this.reader = new StoreReader(store, settings, clockMillis);
        this.plan = new ColumnPlan(schema);
        this.metrics.bind(reader.breaker(), reader.cache(), store.kind());
    }

    public FeatureSchema schema() { return schema; }

    public FeatureStore store() { return reader.store(); }

    public CircuitBreaker breaker() { return reader.breaker(); }

    /**
     * Values this replica has just written to the store ({@code PUT /v1/features}, {@code features load} in
     * process): the hot cache takes them, so the next request here reads the new value instead of a cached old
     * one for up to the cache's TTL. Other replicas still see the write after their TTL.
     */
    public void written(Map<String, byte[]> values) {
        reader.written(values, clock.getAsLong());
    }

    @Override
    public List<String> featureNames() {
        return schema.columnNames();
    }

    /** Hydrates within the configured budget and records feature health in {@code ctx.featureHealth()}. */
    @Override
    public void hydrate(RankingContext ctx, List<Candidate> candidates) {
        hydrateWithHealth(ctx, candidates, settings.budgetMillis());
    }

    /** {@link #hydrate} with the surface's own feature budget (pipeline {@code budgets.featuresMs}). */
    @Override
    public void hydrate(RankingContext ctx, List<Candidate> candidates, long budgetMillis) {
        hydrateWithHealth(ctx, candidates, budgetMillis);
    }

    public FeatureHealth hydrateWithHealth(RankingContext ctx, List<Candidate> candidates) {
        return hydrateWithHealth(ctx, candidates, settings.budgetMillis());
    }

    /**
     * Hydrates and returns per feature group the age of the oldest value used and the share missing; the same
     * is set on the context ({@link RankingContext#setFeatureHealth}) for the impression log.
     */
    public FeatureHealth hydrateWithHealth(RankingContext ctx, List<Candidate> candidates, long budgetMillis) {
        long now = clock.getAsLong();
        ctx.setFeaturesVersion(schema.version());
        RankRequest req = ctx.request();
        String userId = req.userId();
        FeatureStore store = reader.store();

        // keys: [user] then per candidate [item features][counters]
        List<String> keys = new ArrayList<>(1 + 2 * candidates.size());
        int userSlot = -1;
        if (plan.needsUser && userId != null && !userId.isBlank()) {
            userSlot = keys.size();
            keys.add(store.keys().user(userId));
        }
        int itemBase = keys.size();
        int perItem = (plan.needsItemStore ? 1 : 0) + (plan.needsCounters ? 1 : 0);
        for (Candidate c : candidates) store.keys().itemAndCounters(c.id(), keys, plan.needsItemStore, plan.needsCounters);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, budgetMillis));
        StoreReader.Batch read = reader.start(keys, now);

        // while the store answers: every column that does not need its reply (catalog, request, retrieval)
        HealthTally tally = new HealthTally(schema, now);
        float[] requestValues = plan.requestColumns(req, now);
        float[][] rows = new float[candidates.size()][];
        for (int ci = 0; ci < rows.length; ci++) rows[ci] = plan.independentColumns(candidates.get(ci), requestValues, now, tally);

        reader.finish(read, now, deadline);
        if (read.problem() != null) {
            ctx.degrade("features:" + read.problem());
            metrics.degraded(read.problem());
        }
        byte[][] values = read.values;
        boolean[] known = read.known;
        StoredFeatures user = userSlot >= 0 && known[userSlot] ? tally.row(decode(values[userSlot]), FeatureGroup.USER) : null;
        ColumnPlan.UserSide userSide = plan.new UserSide(user);
        float[] itemStored = userSide.itemStored, userValues = userSide.values;
        float[][] userVectors = userSide.vectors;
        Map<String, Float>[] lookups = userSide.lookups;
        for (int ci = 0; ci < candidates.size(); ci++) {
            Candidate c = candidates.get(ci);
            int k = itemBase + ci * perItem;
            StoredFeatures itemF = plan.needsItemStore && known[k] ? tally.row(decode(values[k]), FeatureGroup.ITEM) : null;
            CounterCodec.Counts counts = null;
            if (plan.needsCounters) {
                int kc = k + (plan.needsItemStore ? 1 : 0);
                if (known[kc]) counts = plan.counters(values[kc], now);
            }
            plan.spreadItem(itemF, itemStored);
            plan.storeColumns(rows[ci], c, itemStored, counts, user, userValues, userVectors, tally, lookups);
            c.setFeatures(rows[ci]);
        }
        FeatureHealth health = tally.toHealth(read.source());
        ctx.setFeatureHealth(health.toRecord());
        metrics.record(health);
        return health;
    }

    /**
     * The user's stored row, for a stage that needs it before hydration (feed retrieval by the user's vector).
     * Reads the key {@link #hydrate} reads, through the same hot cache and circuit breaker: the hydrator of the same
     * request then finds the row in the cache (while {@code cacheTtlMillis} > 0) and leaves it out of its batch.
     * A row older than the user group's max age counts as absent, as it does in hydration.
     *
     * @return the row, or null when the user has none
     * @throws StoreUnavailableException when the store fails, misses {@code budgetMillis}, or the breaker is open
     */
    public StoredFeatures userFeatures(String userId, long budgetMillis) {
        long now = clock.getAsLong();
        StoredFeatures f = decode(reader.readOne(reader.store().keys().user(userId), now, budgetMillis));
        return f == null || HealthTally.isStale(schema, f, FeatureGroup.USER, now) ? null : f;
    }

    /** Why {@link #userFeatures} has no answer: "timeout", "unavailable", "circuit-open", "event-loop", "interrupted". */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String reason, Throwable cause) {
            super(reason, cause, false, false); // a routine outcome under a store outage: no stack trace
        }
    }

    private static StoredFeatures decode(byte[] v) {
        if (v == null || v.length == 0) return null;
        try {
            return FeatureCodec.decode(v);
        } catch (IllegalArgumentException e) {
            return null; // a foreign or corrupt value is a missing value, not a failed request
        }
    }
}
