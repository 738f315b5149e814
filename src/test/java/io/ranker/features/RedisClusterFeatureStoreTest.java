package io.ranker.features;

import io.ranker.demo.DemoFeatureSeeder;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Against a real local Redis Cluster of three masters. */
class RedisClusterFeatureStoreTest {

    @Test
    void readsAndCountersWorkAcrossThreeMasters() throws Exception {
        FeatureSchema schema = FeatureSchemaTest.demo();
        List<Item> items = DemoFeatureSeederTest.catalog(500);
        try (RedisServerHarness cluster = RedisServerHarness.cluster(3);
             RedisFeatureStore store = RedisFeatureStore.standalone(cluster.hostList(), true, new FeatureKeys(64))) {
            assertThat(cluster.cli("CLUSTER", "INFO")).contains("cluster_state:ok", "cluster_known_nodes:3");
            DemoFeatureSeeder.seed(items, 10, 42, schema, store);
            // the keys really are spread over all three masters
            for (int port : cluster.ports()) {
                String out = new String(new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "DBSIZE").start()
                        .getInputStream().readAllBytes()).trim();
                assertThat(Integer.parseInt(out)).as("keys on node " + port).isGreaterThan(50);
            }
            new FeedbackCounters(store, schema.counters()).onImpression(List.of(items.get(1).id(), items.get(2).id(), items.get(3).id())).get(5, TimeUnit.SECONDS);
            new FeedbackCounters(store, schema.counters()).onFeedback(items.get(1).id(), "click").get(5, TimeUnit.SECONDS);

            List<Candidate> cands = items.stream().map(i -> new Candidate(i.id(), i)).toList();
            RankingContext ctx = new RankingContext(new RankRequest("feed", "u2", null, null, Map.of(), null, 10, false, null), "i", 1);
            var generous = new StoreFeatureHydrator.Settings(2_000, 0, 0, 0, 3, 1_000); // correctness here, not latency
            FeatureHealth health = new StoreFeatureHydrator(schema, store, generous, null)
                    .hydrateWithHealth(ctx, cands);
            assertThat(ctx.degraded()).isEmpty();
            assertThat(health.source()).isEqualTo("store");
            int pop = schema.feature("popularity").column();
            assertThat(cands).allMatch(c -> c.features()[pop] > 0);
            assertThat(cands.get(0).features()[schema.feature("mean_price").column()]).isPositive();
            assertThat(cands.get(1).features()[schema.feature("impressions_rt").column()]).isCloseTo(1f, within(1e-3f));
            assertThat(cands.get(1).features()[schema.feature("ctr_rt").column()]).isCloseTo((float) (2.5 / 51), within(1e-4f));

            // one MGET per slot group, and there are at most `buckets` groups for any request
            List<String> keys = new ArrayList<>();
            for (Item i : items) {
                keys.add(store.keys().item(i.id()));
                keys.add(store.keys().counters(i.id()));
            }
            assertThat(RedisFeatureStore.groupBySlot(keys)).hasSizeLessThanOrEqualTo(64);
            long t0 = System.nanoTime();
            int runs = 200;
            for (int r = 0; r < runs; r++) store.get(keys).get(5, TimeUnit.SECONDS);
            System.out.printf("[features] cluster (3 masters): fetch of %d keys in %d slot groups: %.3f ms mean%n",
                    keys.size(), RedisFeatureStore.groupBySlot(keys).size(), (System.nanoTime() - t0) / 1e6 / runs);
        }
    }
}
