package io.ranker.features;

import io.ranker.demo.DemoFeatureSeeder;
import io.ranker.demo.DemoCatalog;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Feature hydration of 500 demo candidates with the shipped schema or the load tests' 100-column one (InMemoryFeatureStore): StoreFeatureHydrator
 * (key list, store read, decoding, every column incl. cross features) without and with its hot cache, vs the raw
 * store get of the same keys (the floor: what any hydrator has to wait for).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HydrationBench {
    /** The shipped 29-column schema, and the load tests' 100-column one (75 stored item columns). */
    @Param({"ranking-config/features.yaml", "load-tests/ranking-config/features.yaml"})
    String schemaFile;

    InMemoryFeatureStore store;
    StoreFeatureHydrator uncached, cached;
    List<Candidate> candidates;
    List<String> keys;
    RankingContext ctx;

    @Setup
    public void setup() throws Exception {
        FeatureSchema schema = FeatureSchema.load(Path.of(schemaFile));
        store = new InMemoryFeatureStore();
        List<Item> items = new DemoCatalog(64, 42).generate(2000, 42);
        DemoFeatureSeeder.seed(items, 10, 42, schema, store);
        candidates = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Candidate c = new Candidate(items.get(i).id(), items.get(i));
            c.addHit(new SourceHit("bm25", 10 - i * 0.01, i + 1));
            candidates.add(c);
        }
        String user = "u0";
        keys = new ArrayList<>();
        keys.add(store.keys().user(user));
        for (Candidate c : candidates) store.keys().itemAndCounters(c.id(), keys, true, true);
        uncached = new StoreFeatureHydrator(schema, store, new StoreFeatureHydrator.Settings(1_000, 0, 0, 0, 3, 1_000), null);
        cached = new StoreFeatureHydrator(schema, store, new StoreFeatureHydrator.Settings(1_000, 60_000, 300_000, 50_000, 3, 1_000), null);
        ctx = new RankingContext(new RankRequest("search", user, "running shoes", null, Map.of("device", "mobile"), null, 10, false, null), "imp", 1);
    }

    @Benchmark
    public byte[][] rawStoreGet() throws Exception {
        return store.get(keys).get();
    }

    @Benchmark
    public List<Candidate> hydrator() {
        uncached.hydrate(ctx, candidates);
        return candidates;
    }

    @Benchmark
    public List<Candidate> hydratorHotCache() {
        cached.hydrate(ctx, candidates);
        return candidates;
    }
}
