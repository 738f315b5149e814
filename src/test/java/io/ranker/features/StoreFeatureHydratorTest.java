package io.ranker.features;

import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StoreFeatureHydratorTest {
    static final long NOW = 1_800_000_000_000L;
    static final long DAY = 86_400_000L;

    final FeatureSchema schema;
    final AtomicLong clock = new AtomicLong(NOW);

    StoreFeatureHydratorTest() throws Exception {
        schema = FeatureSchemaTest.demo();
    }

    static Item item(String id, String category, String brand, double price, float[] vector) {
        return new Item(id, "t " + id, "", Map.of("category", category, "brand", brand, "price", price,
                "in_stock", true, "sponsored", false, "rating", 4.0, "created_at", (double) (NOW - 10 * DAY)), vector);
    }

    static RankingContext ctx(String user, Map<String, String> context) {
        return new RankingContext(new RankRequest("feed", user, "red running shoes", null, context, null, 10, false, null), "imp-1", 7);
    }

    float v(Candidate c, String name) {
        return c.features()[schema.feature(name).column()];
    }

    void write(FeatureStore store, String entity, String id, String json, long at) throws Exception {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        var r = new FeatureIngest(schema, store, clock::get).write(List.of(new FeatureRow(entity, id, node, at))).get();
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void fillsEveryGroupFromStoreRequestHitsAndCrossFeatures() throws Exception {
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        write(store, "item", "a", "{\"popularity\": 3.5, \"ctr_7d\": 0.04, \"stock\": 12}", NOW - 3_600_000);
        write(store, "user", "u1", "{\"mean_price\": 50, \"activity_7d\": 4, \"user_vector\": [1, 0], "
                + "\"category_affinity.shoes\": 0.9, \"brand_affinity.acme\": 0.7}", NOW - 2 * 3_600_000);
        new FeedbackCounters(store, schema.counters(), clock::get).onImpression(List.of("a", "a", "a")).get();
        new FeedbackCounters(store, schema.counters(), clock::get).onFeedback("a", "click").get();

        Candidate a = new Candidate("a", item("a", "shoes", "acme", 100, new float[]{1, 1}));
        a.addHit(new SourceHit("bm25", 7.5, 2));
        Candidate b = new Candidate("b", item("b", "hats", "other", 25, new float[]{0, 1}));
        b.addHit(new SourceHit("vector", 0.8, 1));
        StoreFeatureHydrator h = new StoreFeatureHydrator(schema, store, StoreFeatureHydrator.Settings.DEFAULT, null, clock::get);
        RankingContext ctx = ctx("u1", Map.of("device", "mobile", "hour", "21"));
        FeatureHealth health = h.hydrateWithHealth(ctx, List.of(a, b));

        assertThat(ctx.degraded()).isEmpty();
        assertThat(ctx.versions().features()).isEqualTo(schema.version());
        assertThat(a.features()).hasSize(schema.width());
        assertThat(v(a, "popularity")).isEqualTo(3.5f);
        assertThat(v(a, "stock")).isEqualTo(12f);
        assertThat(v(a, "review_count")).isNaN();              // not written
        assertThat(v(a, "price")).isEqualTo(100f);             // from the catalog
        assertThat(v(a, "age_days")).isCloseTo(10f, within(1e-3f));
        assertThat(v(a, "in_stock")).isEqualTo(1f);
        assertThat(v(a, "impressions_rt")).isCloseTo(3f, within(1e-4f));
        assertThat(v(a, "ctr_rt")).isCloseTo((float) ((1 + 0.03 * 50) / (3 + 50)), within(1e-6f));
        assertThat(v(b, "ctr_rt")).isCloseTo(0.03f, within(1e-6f));  // no counts yet: the prior
        assertThat(v(a, "mean_price")).isEqualTo(50f);
        assertThat(v(b, "activity_7d")).isEqualTo(4f);
        assertThat(v(a, "device_mobile")).isEqualTo(1f);
        assertThat(v(a, "hour_of_day")).isEqualTo(21f);
        assertThat(v(a, "query_terms")).isEqualTo(3f);
        assertThat(v(a, "bm25_score")).isEqualTo(7.5f);
        assertThat(v(a, "bm25_rank")).isEqualTo(2f);
        assertThat(v(a, "vector_score")).isNaN();
        assertThat(v(b, "vector_rank")).isEqualTo(1f);
        assertThat(v(b, "bm25_score")).isNaN();
        assertThat(v(a, "user_item_cosine")).isCloseTo((float) (1 / Math.sqrt(2)), within(1e-6f));
        assertThat(v(b, "user_item_cosine")).isCloseTo(0f, within(1e-6f));
        assertThat(v(a, "price_to_user_mean")).isEqualTo(2f);
        assertThat(v(a, "user_category_affinity")).isCloseTo(0.9f, within(1e-6f));
        assertThat(v(a, "user_brand_affinity")).isCloseTo(0.7f, within(1e-6f));
        assertThat(v(b, "user_category_affinity")).isNaN();

        assertThat(health.source()).isEqualTo("store");
        assertThat(health.groups().get("item").maxAgeMillis()).isEqualTo(3_600_000);
        assertThat(health.groups().get("user").maxAgeMillis()).isEqualTo(2 * 3_600_000);
        assertThat(health.groups().get("user").missingShare()).isEqualTo(1.0 / 3); // clicks_30d absent
        // b has no stored item features: 4 of 11 item cells for b (popularity, ctr_7d, review_count, stock) + a's review_count
        assertThat(health.groups().get("item").missingShare()).isCloseTo(5.0 / 22, within(1e-9));
        assertThat(health.toRecord()).containsKeys("item", "user", "request", "retrieval", "cross");
        assertThat(ctx.featureHealth()).isEqualTo(health.toRecord()); // what the impression log records
    }

    @Test
    void aWriteThroughThisReplicaIsServedAtOnceDespiteTheHotCache() throws Exception {
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        write(store, "item", "a", "{\"popularity\": 1}", NOW);
        var settings = new StoreFeatureHydrator.Settings(50, 60_000, 300_000, 1000, 3, 1_000); // a value stays fresh 60 s
        StoreFeatureHydrator h = new StoreFeatureHydrator(schema, store, settings, null, clock::get);
        Candidate first = new Candidate("a", item("a", "shoes", "acme", 100, null));
        h.hydrate(ctx("u1", Map.of()), List.of(first));
        assertThat(v(first, "popularity")).isEqualTo(1f);

        // another writer (another replica): this replica keeps serving its cached value until the TTL
        write(store, "item", "a", "{\"popularity\": 2}", NOW);
        Candidate second = new Candidate("a", item("a", "shoes", "acme", 100, null));
        h.hydrate(ctx("u1", Map.of()), List.of(second));
        assertThat(v(second, "popularity")).isEqualTo(1f);

        // a write through this replica's ingest: served on the next request
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"popularity\": 3}");
        new FeatureIngest(schema, store, clock::get, h::written).write(List.of(new FeatureRow("item", "a", node, NOW))).get();
        Candidate third = new Candidate("a", item("a", "shoes", "acme", 100, null));
        h.hydrate(ctx("u1", Map.of()), List.of(third));
        assertThat(v(third, "popularity")).isEqualTo(3f);
    }

    @Test
    void valuesOlderThanMaxAgeCountAsMissing() throws Exception {
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        write(store, "item", "old", "{\"popularity\": 1}", NOW - 49 * 3_600_000L);
        write(store, "item", "new", "{\"popularity\": 2}", NOW - 1000);
        Candidate old = new Candidate("old", null);
        Candidate fresh = new Candidate("new", null);
        FeatureHealth health = new StoreFeatureHydrator(schema, store, StoreFeatureHydrator.Settings.DEFAULT, null, clock::get)
                .hydrateWithHealth(ctx(null, Map.of()), List.of(old, fresh));
        assertThat(v(old, "popularity")).isNaN();
        assertThat(v(fresh, "popularity")).isEqualTo(2f);
        assertThat(health.groups().get("item").staleValues()).isEqualTo(1);
        assertThat(health.groups().get("item").maxAgeMillis()).isEqualTo(1000);
        assertThat(v(old, "device_mobile")).isEqualTo(0f); // default applies when context lacks the key
    }

    @Test
    void exportsAgeAndMissingSharePerGroupAsMetrics() throws Exception {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        write(store, "item", "a", "{\"popularity\": 1}", NOW - 5_000);
        StoreFeatureHydrator h = new StoreFeatureHydrator(schema, store, StoreFeatureHydrator.Settings.DEFAULT,
                new FeatureMetrics(registry), clock::get);
        h.hydrate(ctx("nobody", Map.of()), List.of(new Candidate("a", null)));
        var age = registry.get("ranker.features.age.seconds").tag("group", "item").summary();
        assertThat(age.count()).isEqualTo(1);
        assertThat(age.max()).isEqualTo(5.0);
        var userMissing = registry.get("ranker.features.missing.share").tag("group", "user").summary();
        assertThat(userMissing.max()).isEqualTo(1.0); // unknown user: every user cell missing
        assertThat(registry.get("ranker.features.breaker.open").gauge().value()).isZero();
    }

    /** A store whose reads can be made to hang or fail, counting how often it is asked. */
    static final class FlakyStore implements FeatureStore {
        final InMemoryFeatureStore delegate = new InMemoryFeatureStore();
        final AtomicReference<String> mode = new AtomicReference<>("ok");
        final AtomicLong reads = new AtomicLong();
        final AtomicLong pings = new AtomicLong();

        public String kind() { return "flaky"; }
        public FeatureKeys keys() { return delegate.keys(); }
        public CompletableFuture<byte[][]> get(List<String> keys) {
            reads.incrementAndGet();
            return switch (mode.get()) {
                case "hang" -> new CompletableFuture<>();
                case "fail" -> CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
                default -> delegate.get(keys);
            };
        }
        public CompletableFuture<Void> put(Map<String, byte[]> v) { return delegate.put(v); }
        public CompletableFuture<Void> addCounts(List<CounterDelta> d, long now, double hl) { return delegate.addCounts(d, now, hl); }
        public CompletableFuture<Void> ping() {
            pings.incrementAndGet();
            return mode.get().equals("ok") ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        }
        public void close() { }
    }

    @Test
    void hungStoreCostsAtMostTheBudgetThenNothingAndRecovers() throws Exception {
        FlakyStore store = new FlakyStore();
        write(store, "item", "a", "{\"popularity\": 3}", NOW - 1000);
        var settings = new StoreFeatureHydrator.Settings(25, 0, 300_000, 1000, 3, 1_000);
        StoreFeatureHydrator h = new StoreFeatureHydrator(schema, store, settings, null, clock::get);
        store.mode.set("hang");
        List<Long> millis = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Candidate a = new Candidate("a", null);
            RankingContext ctx = ctx("u1", Map.of());
            long t0 = System.nanoTime();
            h.hydrate(ctx, List.of(a));
            millis.add((System.nanoTime() - t0) / 1_000_000);
            reasons.addAll(ctx.degraded());
            assertThat(v(a, "popularity")).isNaN();
        }
        assertThat(reasons.subList(0, 3)).containsOnly("features:timeout");
        assertThat(reasons.subList(3, 10)).containsOnly("features:circuit-open");
        assertThat(store.reads.get()).isEqualTo(3);               // the open breaker keeps requests away
        // waited the budget, not for the hung store (upper bound loose: a shared CI machine stalls threads now and then)
        assertThat(millis.subList(0, 3)).allMatch(ms -> ms >= 24 && ms < 1_000);
        // below the budget: nothing waits once open (the read count above is the exact check; one scheduling stall allowed)
        assertThat(millis.subList(3, 10).stream().filter(ms -> ms >= 24).count()).isLessThanOrEqualTo(1);
        assertThat(h.breaker().isOpen()).isTrue();

        store.mode.set("ok");
        clock.addAndGet(1_001);                                    // probe due
        RankingContext probeCtx = ctx("u1", Map.of());
        h.hydrate(probeCtx, List.of(new Candidate("a", null)));   // starts the background probe, still serves without store
        assertThat(store.pings.get()).isEqualTo(1);
        assertThat(h.breaker().isOpen()).isFalse();
        Candidate a = new Candidate("a", null);
        RankingContext ctx = ctx("u1", Map.of());
        h.hydrate(ctx, List.of(a));
        assertThat(ctx.degraded()).isEmpty();
        assertThat(v(a, "popularity")).isEqualTo(3f);
    }

    @Test
    void failedStoreFallsBackToCachedValues() throws Exception {
        FlakyStore store = new FlakyStore();
        write(store, "item", "a", "{\"popularity\": 3}", NOW - 1000);
        var settings = new StoreFeatureHydrator.Settings(25, 100, 300_000, 1000, 3, 1_000);
        StoreFeatureHydrator h = new StoreFeatureHydrator(schema, store, settings, null, clock::get);
        h.hydrate(ctx("u1", Map.of()), List.of(new Candidate("a", null)));
        assertThat(store.reads.get()).isEqualTo(1);
        // fresh in cache: no read at all
        Candidate warm = new Candidate("a", null);
        FeatureHealth hw = h.hydrateWithHealth(ctx("u1", Map.of()), List.of(warm));
        assertThat(store.reads.get()).isEqualTo(1);
        assertThat(hw.source()).isEqualTo("cache");
        assertThat(v(warm, "popularity")).isEqualTo(3f);
        // past the TTL the store is asked; it fails; the stale cached value serves
        clock.addAndGet(500);
        store.mode.set("fail");
        Candidate a = new Candidate("a", null);
        Candidate unknown = new Candidate("zz", null);
        RankingContext ctx = ctx("u1", Map.of());
        FeatureHealth health = h.hydrateWithHealth(ctx, List.of(a, unknown));
        assertThat(ctx.degraded()).containsExactly("features:unavailable");
        assertThat(health.source()).isEqualTo("cache");
        assertThat(v(a, "popularity")).isEqualTo(3f);
        assertThat(v(unknown, "popularity")).isNaN();
        assertThat(v(unknown, "ctr_rt")).isNaN(); // counters unknown, not "zero counts"
    }
}
