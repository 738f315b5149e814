package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ranker.features.FeatureStore;
import io.ranker.features.StoreFeatureHydrator;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.testing.InjectRedisHarness;
import io.ranker.testing.RedisServerHarness;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The service with ranking.features.store=redis against a real redis-server (the harness as a test resource). */
@QuarkusTest
@WithTestResource(RedisServerHarness.class)
class FeaturesRedisTest {
    /** Health, metrics and the OpenAPI document are on the management interface, not the serving port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementUrl;

    io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + managementUrl.getHost()).port(managementUrl.getPort());
    }


    @Inject
    FeatureStore store;

    @Inject
    StoreFeatureHydrator hydrator;

    @InjectRedisHarness
    RedisServerHarness redis;

    @Test
    void putFeaturesLandInRedisAndTheHydratorReadsThem() {
        assertThat(store.kind()).isEqualTo("redis");
        given().header(TestKeys.ADMIN).contentType("application/json")
                .body("[{\"entity\":\"item\",\"id\":\"rx-1\",\"values\":{\"popularity\":6.25}},"
                        + "{\"entity\":\"user\",\"id\":\"rx-u\",\"values\":{\"mean_price\":40}}]")
                .when().put("/v1/features")
                .then().statusCode(200);
        Candidate c = new Candidate("rx-1", null);
        RankingContext ctx = new RankingContext(new RankRequest("feed", "rx-u", null, null, Map.of(), null, 10, false, null), "i", 1);
        hydrator.hydrate(ctx, List.of(c), 2_000);
        assertThat(ctx.degraded()).isEmpty();
        assertThat(c.features()[hydrator.schema().feature("popularity").column()]).isEqualTo(6.25f);
        assertThat(c.features()[hydrator.schema().feature("mean_price").column()]).isEqualTo(40f);
        management().when().get("/q/health/ready").then().statusCode(200);

        redis.pause();
        try {
            for (int i = 0; i < 5; i++) {
                // ids not in the hot cache, so the store must be asked
                RankingContext paused = new RankingContext(new RankRequest("feed", "rx-v" + i, null, null, Map.of(), null, 10, false, null), "p", 1);
                Candidate pc = new Candidate("rx-cold-" + i, null);
                long t0 = System.nanoTime();
                hydrator.hydrate(paused, List.of(pc), 50);
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(50 + 500);
                assertThat(paused.degraded()).isNotEmpty().allMatch(d -> d.startsWith("features:"));
            }
            assertThat(hydrator.breaker().isOpen()).isTrue();
        } finally {
            redis.resume();
        }
    }
}
