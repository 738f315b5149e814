package io.ranker.cli;

import io.ranker.features.FeatureCodec;
import io.ranker.features.FeatureKeys;
import io.ranker.features.RedisFeatureStore;
import io.ranker.features.StoredFeatures;
import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FeaturesCommandTest {

    @Test
    void loadsValidRowsIntoRedisAndReportsTheRest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("features.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"entity\":\"item\",\"id\":\"p1\",\"values\":{\"popularity\":2.5,\"stock\":7}}",
                "{\"entity\":\"item\",\"id\":\"p2\",\"values\":{\"popularity\":\"lots\"}}",
                "not json",
                "",
                "{\"entity\":\"user\",\"id\":\"u1\",\"values\":{\"mean_price\":30,\"category_affinity.shoes\":0.8}}") + "\n");
        try (RedisServerHarness redis = RedisServerHarness.standalone()) {
            int code = RankerCli.execute("features", "load", "--file", file.toString(), "--redis", "127.0.0.1:" + redis.port(),
                    "--batch", "2");
            assertThat(code).isEqualTo(1); // two rows rejected
            try (RedisFeatureStore store = RedisFeatureStore.standalone(redis.hostList(), false, new FeatureKeys(64))) {
                byte[][] v = store.get(List.of(store.keys().item("p1"), store.keys().item("p2"), store.keys().user("u1")))
                        .get(5, TimeUnit.SECONDS);
                StoredFeatures p1 = FeatureCodec.decode(v[0]);
                assertThat(p1.get("popularity")).isEqualTo(2.5f);
                assertThat(p1.get("stock")).isEqualTo(7f);
                assertThat(v[1]).isNull();
                assertThat(FeatureCodec.decode(v[2]).get("category_affinity.shoes")).isEqualTo(0.8f);
            }
        }
    }

    @Test
    void validatesOnlyWithoutRedis(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ok.jsonl");
        Files.writeString(file, "{\"entity\":\"item\",\"id\":\"p1\",\"values\":{\"popularity\":1}}\n");
        // no --redis: a dry run (QUARKUS_REDIS_HOSTS is not set in the test environment)
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("QUARKUS_REDIS_HOSTS") == null);
        assertThat(RankerCli.execute("features", "load", "--file", file.toString())).isZero();
        assertThat(RankerCli.execute("features", "load", "--file", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
    }
}
