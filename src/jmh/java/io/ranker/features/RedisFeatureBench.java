package io.ranker.features;

import io.ranker.demo.DemoFeatureSeeder;
import io.ranker.demo.DemoCatalog;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import io.ranker.testing.RedisServerHarness;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Feature fetch for 500 candidates from a real redis-server (started here) with the load tests' 100-column
 * schema: a raw MGET of the same 1001 keys (user + item + counters per candidate) on the same connection, our
 * RedisFeatureStore.get (MGET + reply to byte[][]), and the full StoreFeatureHydrator without its hot cache
 * (MGET + decoding + all 100 columns). Issue 3's goal: hydrator <= 1.5x the raw MGET.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisFeatureBench {
    RedisServerHarness redis;
    RedisFeatureStore store;
    StoreFeatureHydrator hydrator;
    List<Candidate> candidates;
    List<String> keys;
    RankingContext ctx;

    @Setup
    public void setup() throws Exception {
        FeatureSchema schema = FeatureSchema.load(Path.of("load-tests/ranking-config/features.yaml"));
        redis = RedisServerHarness.standalone();
        store = RedisFeatureStore.standalone(redis.hostList(), false, new FeatureKeys(FeatureKeys.DEFAULT_BUCKETS));
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
        hydrator = new StoreFeatureHydrator(schema, store, new StoreFeatureHydrator.Settings(1_000, 0, 0, 0, 3, 1_000), null);
        ctx = new RankingContext(new RankRequest("search", user, "running shoes", null, Map.of("device", "mobile"), null, 10, false, null), "imp", 1);
    }

    @TearDown
    public void tearDown() {
        redis.close();
    }

    @Benchmark
    public Object rawMget() throws Exception {
        return store.rawMget(keys).get();
    }

    @Benchmark
    public byte[][] storeGet() throws Exception {
        return store.get(keys).get();
    }

    @Benchmark
    public List<Candidate> hydrator() {
        hydrator.hydrate(ctx, candidates);
        return candidates;
    }
}
