package io.ranker.pipeline;

import io.ranker.core.RankingContext;
import io.ranker.core.RankRequest;
import io.ranker.core.AttributeFilter;
import io.ranker.catalog.CatalogIndex;
import io.ranker.demo.DemoCatalog;
import io.ranker.core.Item;
import io.ranker.demo.DemoFeatureSeeder;
import io.ranker.features.FeatureKeys;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureStore;
import io.ranker.features.InMemoryFeatureStore;
import io.ranker.features.RedisFeatureStore;
import io.ranker.features.StoreFeatureHydrator;
import io.ranker.retrieval.UserVectors;
import io.ranker.retrieval.VectorSource;
import io.ranker.testing.RedisServerHarness;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What reading the user's vector from the feature store adds to the feed's vector source (20,000 demo items,
 * 64-d, limit = efSearch = 300 as in feed.yaml; 1,000 demo users, requests rotate over them):
 * <ul>
 *   <li>{@code sourceMap}: the former in-memory map of vectors (the baseline);</li>
 *   <li>{@code source{Memory,Redis}{Cached,Uncached}}: the shipped lookup ({@link SurfaceFactory#userVectors})
 *       on the in-memory store or a real redis-server (started here), with the hydrator's hot cache (a TTL of
 *       60 s here, so every request after the first round is a hit: the case of the hydrator reusing the row the
 *       source read, and of a user's repeat requests within the TTL) or without it (every request reads the store);</li>
 *   <li>{@code lookup*}: the same lookups alone, without the HNSW search.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class FeedUserVectorBench {
    static final int ITEMS = 20_000;
    static final int USERS = 1_000;
    static final int LIMIT = 300;
    static final long BUDGET_MS = 1_000; // generous: measure the read, not the timeout

    RedisServerHarness redis;
    FeatureStore memory, redisStore;
    CatalogIndex index;
    UserVectors map, memoryCached, memoryUncached, redisCached, redisUncached;
    VectorSource sourceMap, sourceMemoryCached, sourceMemoryUncached, sourceRedisCached, sourceRedisUncached;
    RankingContext[] requests;
    int i;

    @Setup
    public void setup() throws Exception {
        Path dir = Path.of("target", "bench-index-" + ITEMS); // shared with RetrievalBench
        List<Item> items = new DemoCatalog(64, 42).generate(ITEMS, 42);
        index = new CatalogIndex(dir, 64, "cosine", 1000);
        if (index.size() != ITEMS) {
            for (int from = 0; from < items.size(); from += 5000) index.upsert(items.subList(from, Math.min(items.size(), from + 5000)));
            index.refresh();
            index.close();
            index = new CatalogIndex(dir, 64, "cosine", 1000);
        }
        FeatureSchema schema = FeatureSchema.load(Path.of("ranking-config/features.yaml"));
        memory = new InMemoryFeatureStore();
        redis = RedisServerHarness.standalone();
        redisStore = RedisFeatureStore.standalone(redis.hostList(), false, new FeatureKeys(FeatureKeys.DEFAULT_BUCKETS));
        DemoFeatureSeeder.seed(items, USERS, 42, schema, memory);
        DemoFeatureSeeder.seed(items, USERS, 42, schema, redisStore);

        memoryCached = SurfaceFactory.userVectors(hydrator(schema, memory, 60_000), "user_vector");
        memoryUncached = SurfaceFactory.userVectors(hydrator(schema, memory, 0), "user_vector");
        redisCached = SurfaceFactory.userVectors(hydrator(schema, redisStore, 60_000), "user_vector");
        redisUncached = SurfaceFactory.userVectors(hydrator(schema, redisStore, 0), "user_vector");
        Map<String, float[]> vectors = new HashMap<>();
        requests = new RankingContext[USERS];
        for (int u = 0; u < USERS; u++) {
            String id = DemoFeatureSeeder.userId(u);
            float[] v = memoryUncached.vectorOf(id, BUDGET_MS);
            if (v == null) throw new IllegalStateException("demo user " + id + " has no vector");
            vectors.put(id, v);
            requests[u] = new RankingContext(new RankRequest("feed", id, null, null, Map.of(), null, 20, false, null), "i", u);
        }
        map = (id, budget) -> vectors.get(id);
        List<AttributeFilter> inStock = List.of(new AttributeFilter("in_stock", List.of("true"), null, null));
        sourceMap = source(map, inStock);
        sourceMemoryCached = source(memoryCached, inStock);
        sourceMemoryUncached = source(memoryUncached, inStock);
        sourceRedisCached = source(redisCached, inStock);
        sourceRedisUncached = source(redisUncached, inStock);
    }

    private static StoreFeatureHydrator hydrator(FeatureSchema schema, FeatureStore store, long cacheTtlMillis) {
        return new StoreFeatureHydrator(schema, store, new StoreFeatureHydrator.Settings(BUDGET_MS, cacheTtlMillis, cacheTtlMillis,
                cacheTtlMillis > 0 ? 50_000 : 0, 3, 1_000), null);
    }

    private VectorSource source(UserVectors users, List<AttributeFilter> filters) {
        return new VectorSource("vector", index, users, BUDGET_MS, filters, LIMIT);
    }

    @TearDown
    public void tearDown() throws Exception {
        index.close();
        redisStore.close();
        redis.close();
    }

    private RankingContext next() {
        return requests[i++ % USERS];
    }

    @Benchmark public Object sourceMap() throws Exception { return sourceMap.retrieve(next(), LIMIT); }
    @Benchmark public Object sourceMemoryCached() throws Exception { return sourceMemoryCached.retrieve(next(), LIMIT); }
    @Benchmark public Object sourceMemoryUncached() throws Exception { return sourceMemoryUncached.retrieve(next(), LIMIT); }
    @Benchmark public Object sourceRedisCached() throws Exception { return sourceRedisCached.retrieve(next(), LIMIT); }
    @Benchmark public Object sourceRedisUncached() throws Exception { return sourceRedisUncached.retrieve(next(), LIMIT); }

    @Benchmark public Object lookupMap() throws Exception { return map.vectorOf(next().request().userId(), BUDGET_MS); }
    @Benchmark public Object lookupMemoryCached() throws Exception { return memoryCached.vectorOf(next().request().userId(), BUDGET_MS); }
    @Benchmark public Object lookupMemoryUncached() throws Exception { return memoryUncached.vectorOf(next().request().userId(), BUDGET_MS); }
    @Benchmark public Object lookupRedisCached() throws Exception { return redisCached.vectorOf(next().request().userId(), BUDGET_MS); }
    @Benchmark public Object lookupRedisUncached() throws Exception { return redisUncached.vectorOf(next().request().userId(), BUDGET_MS); }
}
