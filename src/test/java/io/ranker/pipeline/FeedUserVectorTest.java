package io.ranker.pipeline;

import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.core.RankRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.features.FeatureIngest;
import io.ranker.features.FeatureKeys;
import io.ranker.features.FeatureRow;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureStore;
import io.ranker.features.InMemoryFeatureStore;
import io.ranker.features.StoreFeatureHydrator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The feed's vector source reads the user's vector from the feature store (the in-memory one here), through the
 * hydrator's hot cache and circuit breaker: a user written after start is retrieved by vector, a user without a
 * vector gets the other sources, a hung store names the source in degraded, and hydration reuses the user's row.
 */
class FeedUserVectorTest {
    static final long NOW = 1_800_000_000_000L;
    /** The shipped feed's sources (popular, vector: user, recent), with budgets a loaded test machine can keep. */
    static final String FEED = """
            surface: feed
            sources:
              - {name: popular, type: popular, by: popularity, limit: 100, weight: 0.5}
              - {name: vector, type: vector, vector: user, limit: 300, efSearch: 300}
              - {name: recent, type: popular, by: created_at, limit: 100, weight: 0.3}
            filters:
              - {attribute: in_stock, values: ["true"]}
            minCandidates: 5
            budgets: {retrievalMs: 3000, featuresMs: 100, scoringMs: 30, totalMs: 5000}
            """;

    @TempDir
    Path dir;
    CatalogIndex index;
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final AtomicLong clock = new AtomicLong(NOW);
    final RecordingStore store = new RecordingStore();
    FeatureSchema schema;
    StoreFeatureHydrator hydrator;
    Surface feed;

    /** The in-memory store, recording every key asked for; {@code hang} makes reads never answer (a paused Redis). */
    static final class RecordingStore implements FeatureStore {
        final InMemoryFeatureStore inner = new InMemoryFeatureStore();
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile boolean hang;

        @Override public String kind() { return "memory"; }
        @Override public FeatureKeys keys() { return inner.keys(); }

        @Override
        public CompletableFuture<byte[][]> get(List<String> keys) {
            asked.addAll(keys);
            return hang ? new CompletableFuture<>() : inner.get(keys);
        }

        @Override public CompletableFuture<Void> put(Map<String, byte[]> values) { return inner.put(values); }

        @Override
        public CompletableFuture<Void> addCounts(List<CounterDelta> deltas, long nowMillis, double halfLifeMillis) {
            return inner.addCounts(deltas, nowMillis, halfLifeMillis);
        }

        @Override public CompletableFuture<Void> ping() { return hang ? new CompletableFuture<>() : inner.ping(); }
        @Override public void close() { }
    }

    @BeforeEach
    void setUp() throws Exception {
        index = new CatalogIndex(dir, 4, "cosine", 50);
        List<Item> items = new ArrayList<>();
        // three clusters: n* near e1, f* near e2, p* (the most popular and the newest) near e3
        for (int i = 1; i <= 3; i++) {
            items.add(item("n" + i, i, new float[]{1, 0.1f * (i - 1), 0, 0}));
            items.add(item("f" + i, i, new float[]{0, 1, 0.1f * (i - 1), 0}));
            items.add(item("p" + i, 100 + i, new float[]{0, 0, 1, 0.1f * (i - 1)}));
        }
        index.upsert(items);
        index.refresh();
        schema = FeatureSchema.load(Path.of("ranking-config/features.yaml"));
        hydrator = new StoreFeatureHydrator(schema, store, new StoreFeatureHydrator.Settings(100, 2_000, 300_000, 1_000, 3, 1_000),
                null, clock::get);
        feed = new SurfaceFactory(index, hydrator, pool, c -> null)
                .build(PipelineConfigParser.parse("feed", FEED.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        index.close();
    }

    static Item item(String id, double popularity, float[] vector) {
        return new Item(id, "item " + id, "", Map.of("in_stock", true, "popularity", popularity,
                "created_at", (double) (NOW - 86_400_000L * (10 - popularity % 10))), vector);
    }

    void writeUser(String id, String valuesJson) throws Exception {
        var row = new FeatureRow("user", id, new ObjectMapper().readTree(valuesJson), clock.get());
        assertThat(new FeatureIngest(schema, store, clock::get).write(List.of(row)).get().rejected()).isEmpty();
    }

    static RankingContext request(String user, float[] queryVector) {
        return new RankingContext(new RankRequest("feed", user, null, queryVector, Map.of(), null, 10, false, null), "imp", 1);
    }

    List<Candidate> retrieve(RankingContext ctx) {
        return feed.retriever().retrieve(ctx, (s, n) -> { });
    }

    /** Ids of the candidates the vector source found, nearest first. */
    static List<String> byVector(List<Candidate> candidates) {
        return candidates.stream().filter(c -> c.hits().containsKey("vector"))
                .sorted(Comparator.comparingInt(c -> c.hits().get("vector").rank())).map(Candidate::id).toList();
    }

    static boolean anyFrom(List<Candidate> candidates, String source) {
        return candidates.stream().anyMatch(c -> c.hits().containsKey(source));
    }

    @Test
    void aUserWrittenAfterStartIsRetrievedByVectorOnTheNextRequest() throws Exception {
        writeUser("late", "{\"mean_price\": 20, \"user_vector\": [0, 1, 0, 0]}");
        RankingContext ctx = request("late", null);
        List<Candidate> out = retrieve(ctx);
        assertThat(ctx.degraded()).isEmpty();
        assertThat(byVector(out)).startsWith("f1", "f2", "f3");
        assertThat(anyFrom(out, "popular")).isTrue();
    }

    @Test
    void aUserWithoutAVectorGetsTheOtherSourcesAndNoError() throws Exception {
        writeUser("plain", "{\"mean_price\": 20}");
        for (String user : List.of("plain", "nobody")) {
            RankingContext ctx = request(user, null);
            List<Candidate> out = retrieve(ctx);
            assertThat(ctx.degraded()).as(user).isEmpty();
            assertThat(byVector(out)).as(user).isEmpty();
            assertThat(out).as(user).extracting(Candidate::id).contains("p1", "p2", "p3");
        }
    }

    @Test
    void aVectorWrittenAfterTheUsersLastRequestCountsOnceTheHotCacheExpires() throws Exception {
        assertThat(byVector(retrieve(request("returning", null)))).isEmpty(); // caches "no row" for the cache TTL
        writeUser("returning", "{\"user_vector\": [1, 0, 0, 0]}");
        clock.addAndGet(2_001);
        assertThat(byVector(retrieve(request("returning", null)))).startsWith("n1", "n2", "n3");
    }

    @Test
    void theRequestsQueryVectorWinsOverTheUsers() throws Exception {
        writeUser("u", "{\"user_vector\": [1, 0, 0, 0]}");
        assertThat(byVector(retrieve(request("u", new float[]{0, 0, 1, 0})))).startsWith("p1", "p2", "p3");
    }

    @Test
    void hydrationReusesTheUsersRowReadForRetrieval() throws Exception {
        writeUser("u", "{\"mean_price\": 20, \"user_vector\": [1, 0, 0, 0]}");
        RankingContext ctx = request("u", null);
        List<Candidate> out = retrieve(ctx);
        hydrator.hydrate(ctx, out, 100);
        String userKey = store.keys().user("u");
        assertThat(store.asked.stream().filter(userKey::equals).count()).as("reads of the user's key").isEqualTo(1);
        assertThat(store.asked).contains(store.keys().item("n1")); // the hydrator did read the store, for the items
        int cosine = schema.feature("user_item_cosine").column();
        Candidate n1 = out.stream().filter(c -> c.id().equals("n1")).findFirst().orElseThrow();
        assertThat(n1.features()[cosine]).isEqualTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(ctx.degraded()).isEmpty();
    }

    @Test
    void aHungStoreNamesTheVectorSourceWithinItsBudgetAndTheOtherSourcesCarryOn() {
        store.hang = true;
        for (int i = 0; i < 4; i++) {
            RankingContext ctx = request("cold-" + i, null); // not cached: the store must be asked
            long t0 = System.nanoTime();
            List<Candidate> out = retrieve(ctx);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ctx.degraded()).containsExactly("retrieval.vector:error");
            assertThat(out).extracting(Candidate::id).contains("p1", "p2", "p3");
            assertThat(millis).as("request %d: the source waits featuresMs (100), not retrievalMs (3000)", i).isLessThan(1_500);
        }
        // three timeouts opened the breaker: the fourth request did not wait, and no read was sent for it
        assertThat(hydrator.breaker().isOpen()).isTrue();
        assertThat(store.asked).doesNotContain(store.keys().user("cold-3"));
    }

    @Test
    void aPipelineNamingAFeatureThatIsNotAUserVectorIsRefused() throws Exception {
        String yaml = FEED.replace("vector: user,", "vector: user, feature: mean_price,");
        PipelineConfig config = PipelineConfigParser.parse("feed", yaml.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new SurfaceFactory(index, hydrator, pool, c -> null).build(config))
                .hasMessageContaining("'mean_price' is not a user feature of type vector");
    }
}
