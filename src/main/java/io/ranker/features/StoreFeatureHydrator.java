package io.ranker.features;

import io.ranker.core.FeatureHydrator;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Fills each candidate's feature vector from the store with one batched read for all candidates and the user,
 * plus request-time, retrieval and cross features computed here. Waits for the store at most
 * {@link Settings#budgetMillis}; on timeout or error it uses the local cache (even stale), then NaN, and names
 * the reason in {@code degraded} ("features:timeout", "features:unavailable", "features:circuit-open").
 * Thread-safe; one instance per deployment.
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

    private static final double DAY_MILLIS = 86_400_000d;

    private final FeatureSchema schema;
    private final FeatureStore store;
    private final Settings settings;
    private final FeatureMetrics metrics;
    private final LongSupplier clock;
    private final CircuitBreaker breaker;
    private final HotFeatureCache cache;
    /** Per column: the name id a STORE/COSINE column reads, or the numerator column of a RATIO. */
    private final int[] refA;
    /** Per column: the denominator column of a RATIO. */
    private final int[] refB;
    private final boolean needsItemStore;
    /** Stored item columns, and an open-addressing table name id -> column over them (see {@link #itemColumns}). */
    private final int[] itemStoreColumns;
    /** Per entry of {@link #itemStoreColumns}: the column's default and its group's ordinal (for the tally). */
    private final float[] itemStoreDefaults;
    private final int[] itemStoreGroups;
    /** Columns computed without the store's reply, and those needing it other than item store columns, in evaluation order. */
    private final FeatureSpec[] independentOrder;
    private final FeatureSpec[] dependentOrder;
    private final int[] itemIdTable;
    private final int[] itemColTable;
    private final boolean needsCounters;
    private final boolean needsUser;

    public StoreFeatureHydrator(FeatureSchema schema, FeatureStore store, Settings settings, FeatureMetrics metrics) {
        this(schema, store, settings, metrics, System::currentTimeMillis);
    }

    public StoreFeatureHydrator(FeatureSchema schema, FeatureStore store, Settings settings, FeatureMetrics metrics,
                                LongSupplier clockMillis) {
        this.schema = schema;
        this.store = store;
        this.settings = settings;
        this.metrics = metrics == null ? FeatureMetrics.NONE : metrics;
        this.clock = clockMillis;
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerOpenMillis(), clockMillis);
        this.cache = new HotFeatureCache(settings.cacheTtlMillis() > 0 ? settings.cacheMaxEntries() : 0,
                settings.cacheTtlMillis(), settings.cacheStaleMillis());
        // item and user columns first: cross features read them
        FeatureSpec[] evalOrder = schema.columns().stream()
                .sorted(java.util.Comparator.comparingInt((FeatureSpec f) -> f.group().ordinal()))
                .toArray(FeatureSpec[]::new);
        this.refA = new int[schema.width()];
        this.refB = new int[schema.width()];
        for (FeatureSpec f : schema.columns()) {
            FeatureSource src = f.source();
            switch (src.kind()) {
                case STORE -> refA[f.column()] = f.nameId();
                case COSINE -> refA[f.column()] = FeatureCodec.nameId(src.a());
                case RATIO -> {
                    refA[f.column()] = schema.feature(src.a()).column();
                    refB[f.column()] = schema.feature(src.b()).column();
                }
                default -> { }
            }
        }
        this.needsItemStore = schema.columns().stream().anyMatch(f -> f.group() == FeatureGroup.ITEM && f.isStored());
        this.itemStoreColumns = schema.columns().stream()
                .filter(f -> f.group() != FeatureGroup.USER && f.source().kind() == FeatureSource.Kind.STORE)
                .mapToInt(FeatureSpec::column).toArray();
        this.itemStoreDefaults = new float[itemStoreColumns.length];
        this.itemStoreGroups = new int[itemStoreColumns.length];
        for (int k = 0; k < itemStoreColumns.length; k++) {
            int col = itemStoreColumns[k];
            FeatureSpec f = schema.columns().stream().filter(x -> x.column() == col).findFirst().orElseThrow(); // startup only
            itemStoreDefaults[k] = f.defaultValue();
            itemStoreGroups[k] = f.group().ordinal();
        }
        // One loop per kind of work instead of a switch over every column twice per candidate: with ~100 columns,
        // 75 of them item store values, the per-column dispatch was the hydrator's largest cost.
        this.independentOrder = java.util.Arrays.stream(evalOrder).filter(f -> switch (f.source().kind()) {
            case ATTRIBUTE, AGE_DAYS, CONTEXT_NUMBER, CONTEXT_EQUALS, QUERY, TIME, HIT -> true;
            default -> false;
        }).toArray(FeatureSpec[]::new);
        this.dependentOrder = java.util.Arrays.stream(evalOrder).filter(f -> switch (f.source().kind()) {
            case STORE -> f.group() == FeatureGroup.USER;
            case COUNTER, COSINE, RATIO, LOOKUP -> true;
            default -> false;
        }).toArray(FeatureSpec[]::new);
        int size = Integer.highestOneBit(Math.max(4, itemStoreColumns.length * 4) - 1) << 1;
        this.itemIdTable = new int[size];
        this.itemColTable = new int[size];
        Arrays.fill(itemColTable, -1);
        for (int col : itemStoreColumns) {
            int id = refA[col];
            int h = mix(id) & (size - 1);
            while (itemColTable[h] >= 0 && itemIdTable[h] != id) h = (h + 1) & (size - 1);
            if (itemColTable[h] < 0) {
                itemIdTable[h] = id;
                itemColTable[h] = col;
            }
        }
        this.needsCounters = schema.columns().stream().anyMatch(f -> f.source().kind() == FeatureSource.Kind.COUNTER);
        this.needsUser = schema.features().stream().anyMatch(f -> f.group() == FeatureGroup.USER);
        this.metrics.bind(breaker, cache, store.kind());
    }

    public FeatureSchema schema() { return schema; }

    public FeatureStore store() { return store; }

    public CircuitBreaker breaker() { return breaker; }

    /**
     * Values this replica has just written to the store ({@code PUT /v1/features}, {@code features load} in
     * process): the hot cache takes them, so the next request here reads the new value instead of a cached old
     * one for up to the cache's TTL. Other replicas still see the write after their TTL.
     */
    public void written(Map<String, byte[]> values) {
        long now = clock.getAsLong();
        values.forEach((key, value) -> cache.put(key, value, now));
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

        // keys: [user] then per candidate [item features][counters]
        List<String> keys = new ArrayList<>(1 + 2 * candidates.size());
        int userSlot = -1;
        if (needsUser && userId != null && !userId.isBlank()) {
            userSlot = keys.size();
            keys.add(store.keys().user(userId));
        }
        int itemBase = keys.size();
        int perItem = (needsItemStore ? 1 : 0) + (needsCounters ? 1 : 0);
        for (Candidate c : candidates) store.keys().itemAndCounters(c.id(), keys, needsItemStore, needsCounters);
        byte[][] values = new byte[keys.size()][];
        boolean[] known = new boolean[keys.size()];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, budgetMillis));
        PendingRead pending = startRead(keys, values, known, now);

        // while the store answers: every column that does not need its reply (catalog, request, retrieval)
        Tally tally = new Tally();
        float[] requestValues = requestColumns(req, now);
        float[][] rows = new float[candidates.size()][];
        for (int ci = 0; ci < rows.length; ci++) rows[ci] = independentColumns(candidates.get(ci), requestValues, now, tally);

        String source = finishRead(ctx, pending, keys, values, known, now, deadline);
        StoredFeatures user = userSlot >= 0 && known[userSlot] ? decode(values[userSlot]) : null;
        if (user != null && isStale(user, FeatureGroup.USER, now)) user = null; // counted below
        // per request and lookup column: attribute value -> the user's map value
        @SuppressWarnings("unchecked")
        Map<String, Float>[] lookups = new Map[schema.width()];
        float[] userValues = new float[schema.width()]; // the user's stored columns, the same for every candidate
        for (FeatureSpec f : schema.columns(FeatureGroup.USER)) {
            userValues[f.column()] = user == null ? Float.NaN : user.get(refA[f.column()]);
        }
        float[][] userVectors = new float[schema.width()][]; // per cosine column: the user vector it compares with
        for (FeatureSpec f : schema.columns(FeatureGroup.CROSS)) {
            if (f.source().kind() == FeatureSource.Kind.COSINE && user != null) userVectors[f.column()] = user.vector(refA[f.column()]);
        }
        float[] itemStored = new float[schema.width()]; // the current candidate's stored item values, by column
        for (int ci = 0; ci < candidates.size(); ci++) {
            Candidate c = candidates.get(ci);
            int k = itemBase + ci * perItem;
            StoredFeatures itemF = null;
            if (needsItemStore && known[k]) {
                itemF = decode(values[k]);
                if (itemF != null) {
                    if (isStale(itemF, FeatureGroup.ITEM, now)) {
                        tally.stale.merge(FeatureGroup.ITEM, 1, Integer::sum);
                        itemF = null;
                    } else {
                        tally.age(FeatureGroup.ITEM, now - itemF.writtenAtMillis());
                    }
                }
            }
            CounterCodec.Counts counts = null;
            if (needsCounters) {
                int kc = k + (needsItemStore ? 1 : 0);
                if (known[kc]) {
                    CounterCodec.Counts raw = values[kc] == null ? null : CounterCodec.decode(values[kc]);
                    counts = raw == null ? new CounterCodec.Counts(0, 0, now) : raw.at(now, schema.counters().halfLifeMillis());
                }
            }
            itemColumns(itemF, itemStored);
            storeColumns(rows[ci], c, itemStored, counts, user, userValues, userVectors, tally, lookups);
            c.setFeatures(rows[ci]);
        }
        if (userSlot >= 0 && known[userSlot] && values[userSlot] != null) {
            StoredFeatures u = decode(values[userSlot]);
            if (u != null && isStale(u, FeatureGroup.USER, now)) tally.stale.merge(FeatureGroup.USER, 1, Integer::sum);
            else if (u != null) tally.age(FeatureGroup.USER, now - u.writtenAtMillis());
        }
        FeatureHealth health = tally.toHealth(source);
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
        String key = store.keys().user(userId);
        byte[] v = cache.fresh(key, now);
        if (v == null) v = readOne(key, now, budgetMillis);
        StoredFeatures f = decode(v);
        return f == null || isStale(f, FeatureGroup.USER, now) ? null : f;
    }

    /** Why {@link #userFeatures} has no answer: "timeout", "unavailable", "circuit-open", "event-loop", "interrupted". */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String reason, Throwable cause) {
            super(reason, cause, false, false); // a routine outcome under a store outage: no stack trace
        }
    }

    private byte[] readOne(String key, long now, long budgetMillis) {
        if (io.vertx.core.Context.isOnEventLoopThread()) throw new StoreUnavailableException("event-loop", null);
        if (breaker.isOpen()) {
            probeInBackground();
            throw new StoreUnavailableException("circuit-open", null);
        }
        try {
            byte[] v = store.get(List.of(key)).get(Math.max(1, budgetMillis), TimeUnit.MILLISECONDS)[0];
            cache.put(key, v, now);
            breaker.onSuccess();
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            breaker.onFailure();
            throw new StoreUnavailableException(e instanceof TimeoutException ? "timeout" : "unavailable", e);
        }
    }

    /** A store read in flight: which keys it asks for, and its reply (or why there is none). */
    private record PendingRead(List<Integer> missing, CompletableFuture<byte[][]> reply, String problem) {
    }

    /** Fills values from the hot cache and sends one store read for the rest (not awaited). Never throws. */
    private PendingRead startRead(List<String> keys, byte[][] values, boolean[] known, long now) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] v = cache.fresh(keys.get(i), now);
            if (v != null) {
                values[i] = v == HotFeatureCache.ABSENT ? null : v;
                known[i] = true;
            } else {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) return new PendingRead(missing, null, null);
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // blocking here would stall the very thread that completes the Redis reply: never wait on an event loop
            return new PendingRead(missing, null, "event-loop");
        }
        if (breaker.isOpen()) {
            probeInBackground();
            return new PendingRead(missing, null, "circuit-open");
        }
        List<String> fetch = new ArrayList<>(missing.size());
        for (int i : missing) fetch.add(keys.get(i));
        try {
            return new PendingRead(missing, store.get(fetch), null);
        } catch (RuntimeException e) {
            return new PendingRead(missing, CompletableFuture.failedFuture(e), null);
        }
    }

    /** Waits for the reply until the deadline; on failure, stale cache values. Returns where values came from. */
    private String finishRead(RankingContext ctx, PendingRead read, List<String> keys, byte[][] values, boolean[] known,
                              long now, long deadlineNanos) {
        List<Integer> missing = read.missing();
        if (missing.isEmpty()) return keys.isEmpty() ? "none" : "cache";
        String problem = read.problem();
        if (problem == null) {
            try {
                byte[][] got = read.reply().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                for (int j = 0; j < got.length; j++) {
                    int i = missing.get(j);
                    values[i] = got[j];
                    known[i] = true;
                    cache.put(keys.get(i), got[j], now);
                }
                breaker.onSuccess();
                return "store";
            } catch (TimeoutException e) {
                problem = "timeout";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
            } catch (ExecutionException | RuntimeException e) {
                problem = "unavailable";
            }
            breaker.onFailure();
        }
        ctx.degrade("features:" + problem);
        metrics.degraded(problem);
        boolean any = false;
        for (int i : missing) {
            byte[] v = cache.stale(keys.get(i));
            if (v != null) {
                values[i] = v == HotFeatureCache.ABSENT ? null : v;
                known[i] = true;
                any = true;
            }
        }
        return any ? "cache" : "none";
    }

    private void probeInBackground() {
        if (!breaker.tryStartProbe()) return;
        try {
            store.ping().orTimeout(Math.max(50, settings.breakerOpenMillis()), TimeUnit.MILLISECONDS)
                    .whenComplete((v, t) -> breaker.probeFinished(t == null));
        } catch (RuntimeException e) {
            breaker.probeFinished(false);
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

    private static int mix(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /**
     * Spreads an item's stored values into {@code out} at their schema columns in one pass over the value
     * (NaN where absent). Same result as one {@link StoredFeatures#get(int)} per column (the first occurrence of
     * an id wins), but linear in the value's size rather than columns x values: with ~75 stored item columns
     * the per-column scan was the hydrator's largest cost.
     */
    private void itemColumns(StoredFeatures itemF, float[] out) {
        for (int col : itemStoreColumns) out[col] = Float.NaN;
        if (itemF == null) return;
        int[] ids = itemF.ids();
        float[] values = itemF.values();
        int mask = itemIdTable.length - 1;
        for (int i = ids.length - 1; i >= 0; i--) { // backwards: the first occurrence is written last
            int id = ids[i];
            int h = mix(id) & mask;
            int col;
            while ((col = itemColTable[h]) >= 0) {
                if (itemIdTable[h] == id) {
                    out[col] = values[i];
                    break;
                }
                h = (h + 1) & mask;
            }
        }
    }

    private boolean isStale(StoredFeatures f, FeatureGroup group, long now) {
        Duration max = schema.maxAge(group);
        return max != null && now - f.writtenAtMillis() > max.toMillis();
    }

    private float[] requestColumns(RankRequest req, long now) {
        float[] out = new float[schema.width()];
        for (FeatureSpec f : schema.columns(FeatureGroup.REQUEST)) {
            FeatureSource s = f.source();
            float v = Float.NaN;
            switch (s.kind()) {
                case CONTEXT_NUMBER -> v = parse(req.context().get(s.a()));
                case CONTEXT_EQUALS -> {
                    String given = req.context().get(s.a());
                    v = given == null ? Float.NaN : given.equals(s.b()) ? 1f : 0f;
                }
                case QUERY -> v = s.a().equals("terms")
                        ? (req.query() == null || req.query().isBlank() ? 0 : req.query().trim().split("\\s+").length)
                        : (req.queryVector() != null ? 1 : 0);
                case TIME -> {
                    ZonedDateTime t = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
                    boolean hour = s.a().equals("hour_of_day");
                    float given = parse(req.context().get(hour ? "hour" : "dow"));
                    v = !Float.isNaN(given) ? given : hour ? t.getHour() : t.getDayOfWeek().getValue();
                }
                default -> { }
            }
            out[f.column()] = v;
        }
        return out;
    }

    /** Columns that need no store reply: catalog attributes, request, retrieval hits. The rest stay 0 until {@link #storeColumns}. */
    private float[] independentColumns(Candidate c, float[] requestValues, long now, Tally tally) {
        float[] row = new float[schema.width()];
        Item item = c.item();
        Map<String, SourceHit> hits = c.hits();
        for (FeatureSpec f : independentOrder) {
            FeatureSource s = f.source();
            float v;
            switch (s.kind()) {
                case ATTRIBUTE -> v = item == null ? Float.NaN : number(item.attribute(s.a()));
                case AGE_DAYS -> {
                    Double at = item == null ? null : item.numberAttribute(s.a());
                    v = at == null ? Float.NaN : (float) ((now - at) / DAY_MILLIS);
                }
                case CONTEXT_NUMBER, CONTEXT_EQUALS, QUERY, TIME -> v = requestValues[f.column()];
                case HIT -> {
                    SourceHit hit = hits.isEmpty() ? null : hits.get(s.a());
                    v = hit == null ? Float.NaN : s.b().equals("score") ? (float) hit.score() : hit.rank();
                }
                default -> {
                    continue; // needs the store's reply
                }
            }
            tally.cell(f.group(), Float.isNaN(v));
            row[f.column()] = Float.isNaN(v) ? f.defaultValue() : v;
        }
        return row;
    }

    /** Columns that need the store's reply: stored values, counters, and cross features (they read the user). */
    private void storeColumns(float[] row, Candidate c, float[] itemStored, CounterCodec.Counts counts, StoredFeatures user,
                              float[] userValues, float[][] userVectors, Tally tally, Map<String, Float>[] lookups) {
        Item item = c.item();
        // item store columns first (cross features such as ratios read them), in one tight loop
        int[] cols = itemStoreColumns;
        for (int k = 0; k < cols.length; k++) {
            int col = cols[k];
            float v = itemStored[col];
            boolean missing = Float.isNaN(v);
            tally.cell(itemStoreGroups[k], missing);
            row[col] = missing ? itemStoreDefaults[k] : v;
        }
        for (FeatureSpec f : dependentOrder) {
            FeatureSource s = f.source();
            float v;
            switch (s.kind()) {
                case STORE -> v = userValues[f.column()];
                case COUNTER -> v = counts == null ? Float.NaN : switch (s.a()) {
                    case "ctr" -> (float) schema.counters().smoothedCtr(counts.impressions(), counts.clicks());
                    case "impressions" -> (float) counts.impressions();
                    default -> (float) counts.clicks();
                };
                case COSINE -> v = cosine(userVectors[f.column()], item == null ? null : item.vector());
                case RATIO -> {
                    float num = row[refA[f.column()]];
                    float den = row[refB[f.column()]];
                    v = den == 0 || Float.isNaN(den) || Float.isNaN(num) ? Float.NaN : num / den;
                }
                case LOOKUP -> {
                    Map<String, Float> memo = lookups[f.column()];
                    if (memo == null) memo = lookups[f.column()] = new java.util.HashMap<>();
                    v = lookup(user, s.a(), item == null ? null : item.attribute(s.b()), memo);
                }
                default -> {
                    continue; // done in independentColumns
                }
            }
            tally.cell(f.group(), Float.isNaN(v));
            row[f.column()] = Float.isNaN(v) ? f.defaultValue() : v;
        }
    }

    /** The user's value of {@code map.<attribute value>}; for a list attribute (tags) the largest one present. */
    private static float lookup(StoredFeatures user, String map, Object attribute, Map<String, Float> memo) {
        if (user == null || attribute == null) return Float.NaN;
        if (!(attribute instanceof List<?> list)) return lookupOne(user, map, String.valueOf(attribute), memo);
        float best = Float.NaN;
        for (Object k : list) {
            float v = lookupOne(user, map, String.valueOf(k), memo);
            if (!Float.isNaN(v) && (Float.isNaN(best) || v > best)) best = v;
        }
        return best;
    }

    private static float lookupOne(StoredFeatures user, String map, String key, Map<String, Float> memo) {
        Float v = memo.get(key);
        if (v == null) {
            v = user.get(FeatureCodec.nameId(map + "." + key));
            memo.put(key, v);
        }
        return v;
    }

    static float cosine(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) return Float.NaN;
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? Float.NaN : (float) (dot / Math.sqrt(na * nb));
    }

    private static float number(Object o) {
        if (o instanceof Number n) return n.floatValue();
        if (o instanceof Boolean b) return b ? 1f : 0f;
        return Float.NaN;
    }

    private static float parse(String s) {
        if (s == null) return Float.NaN;
        try {
            return Float.parseFloat(s.trim());
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** Per-request counts behind {@link FeatureHealth}, indexed by group ordinal. */
    private static final class Tally {
        private static final FeatureGroup[] GROUPS = FeatureGroup.values();
        final int[] total = new int[GROUPS.length];
        final int[] missing = new int[GROUPS.length];
        final long[] maxAge = new long[GROUPS.length];
        final Map<FeatureGroup, Integer> stale = new EnumMap<>(FeatureGroup.class);

        void cell(FeatureGroup g, boolean isMissing) {
            cell(g.ordinal(), isMissing);
        }

        void cell(int group, boolean isMissing) {
            total[group]++;
            if (isMissing) missing[group]++;
        }

        void age(FeatureGroup g, long ageMillis) {
            maxAge[g.ordinal()] = Math.max(maxAge[g.ordinal()], ageMillis);
        }

        FeatureHealth toHealth(String source) {
            Map<String, FeatureHealth.Group> out = new LinkedHashMap<>();
            for (FeatureGroup g : GROUPS) {
                int i = g.ordinal();
                if (total[i] == 0) continue;
                out.put(g.key(), new FeatureHealth.Group(maxAge[i], (double) missing[i] / total[i], stale.getOrDefault(g, 0)));
            }
            return new FeatureHealth(out, source);
        }
    }
}
