package io.ranker.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ranker.features.RedisFeatureStore;
import io.ranker.features.FeatureStore;
import io.ranker.policy.SeenItems;
import io.ranker.testing.RedisServerHarness;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With features in Redis, the feed's exclude_seen rule reads the history from Redis: what one request showed
 * is kept out of the next, and the history is in Redis for every replica, not in this one's memory.
 */
@QuarkusTest
@WithTestResource(RedisServerHarness.class)
class SeenHistoryRedisTest {
    @Inject
    SeenItems seen;
    @Inject
    FeatureStore proxied;

    private static List<String> feed(String user) {
        return given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"userId\":\"" + user + "\",\"limit\":10}")
                .when().post("/v1/rank").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void whatOneFeedShowedIsKeptOutOfTheNextThroughRedis() throws Exception {
        FeatureStore store = io.quarkus.arc.ClientProxy.unwrap(proxied);
        assertThat(store).isInstanceOf(RedisFeatureStore.class);
        assertThat(seen.getClass().getSimpleName()).isEqualTo("RedisSeenItems");
        // Another test may have paused this redis-server just before (the breaker then opens): wait until served.
        for (long until = System.currentTimeMillis() + 15_000; System.currentTimeMillis() < until; Thread.sleep(100)) {
            List<String> degraded = given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"userId\":\"warm\",\"limit\":10}")
                    .when().post("/v1/rank").then().statusCode(200).extract().jsonPath().getList("degraded", String.class);
            if (degraded.isEmpty()) break;
        }
        String user = "seen-" + System.nanoTime();
        List<String> first = feed(user);
        assertThat(first).isNotEmpty();
        ((RedisFeatureStore) store).ping().get(5, java.util.concurrent.TimeUnit.SECONDS); // history writes are pipelined
        // the history is in Redis (a fresh client, as another replica would read it)
        try (RedisFeatureStore other = RedisFeatureStore.standalone(
                List.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class).split(",")),
                false, ((RedisFeatureStore) store).keys())) {
            Set<String> stored = new io.ranker.features.RedisSeenItems(other, 500, 60_000, 1_000, null)
                    .seenSince(user, 0, Set.of("shown"));
            assertThat(stored).containsAll(first);
        }
        // A read of the history that misses the feature budget on a loaded machine excludes nothing for that one
        // request (by design), so allow a few tries; with no history at all every try would overlap the first list.
        List<String> next = List.of();
        boolean disjoint = false;
        for (int attempt = 0; attempt < 5 && !disjoint; attempt++) {
            next = feed(user);
            disjoint = !next.isEmpty() && java.util.Collections.disjoint(next, first);
        }
        assertThat(disjoint).as("a later feed keeps out everything the first showed; last: %s, first: %s", next, first).isTrue();
    }
}
