package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ranker.core.Item;
import io.ranker.app.RankerRuntime;
import io.ranker.features.FeatureStore;
import io.ranker.testing.RedisServerHarness;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * With ranking.features.store=redis against a real redis-server: a user whose vector is written through
 * PUT /v1/features, after the service started, gets a feed retrieved by that vector (no restart, no in-memory copy).
 */
@QuarkusTest
@WithTestResource(RedisServerHarness.class)
class FeedVectorRedisTest {
    @Inject
    RankerRuntime runtime;

    @Inject
    FeatureStore store;

    private static JsonPath feed(String user) {
        return given().contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"userId\":\"" + user + "\",\"limit\":50,\"explain\":true}")
                .when().post("/v1/rank").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aUserVectorWrittenThroughTheApiDrivesTheFeedsVectorSource() throws Exception {
        assertThat(store.kind()).isEqualTo("redis");
        // Another test may have paused this redis-server just before (its breaker then opens): wait until served.
        JsonPath warm = feed("u3");
        for (long until = System.currentTimeMillis() + 15_000;
             !warm.getList("degraded").isEmpty() && System.currentTimeMillis() < until; warm = feed("u3")) {
            Thread.sleep(100);
        }
        assertThat(warm.getList("degraded", String.class)).as("served from Redis").isEmpty();

        String user = "rv-new-" + System.nanoTime();
        assertThat(vectorHits(feed(user))).as("no vector yet").isEmpty();

        // the user's taste: an in-stock catalog item's own embedding
        Item taste = runtime.index().items().stream()
                .filter(i -> Boolean.TRUE.equals(i.attribute("in_stock")) && i.vector() != null)
                .findFirst().orElseThrow();
        float[] u = taste.vector();
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("[{\"entity\":\"user\",\"id\":\"" + user + "\",\"values\":{\"user_vector\":" + Arrays.toString(u) + "}}]")
                .when().put("/v1/features").then().statusCode(200).body("accepted", org.hamcrest.Matchers.equalTo(1));

        // The first request cached "no row" for the hot cache's TTL (2 s); a loaded machine may also miss the
        // retrieval budget once. The vector must drive the feed well within 30 s.
        List<Map<String, Object>> hits = List.of();
        for (long until = System.currentTimeMillis() + 30_000; hits.isEmpty() && System.currentTimeMillis() < until; ) {
            Thread.sleep(200);
            hits = vectorHits(feed(user));
        }
        assertThat(hits).as("feed items found by the vector source").isNotEmpty();
        // Each hit's score is Lucene's cosine score against the query vector, (1 + cos) / 2: the query was this user's.
        for (Map<String, Object> hit : hits) {
            Item item = runtime.index().item((String) hit.get("id"));
            double expected = (1 + cosine(u, item.vector())) / 2;
            assertThat(((Number) hit.get("score")).doubleValue()).as("vector score of %s", item.id()).isCloseTo(expected, within(1e-4));
        }
    }

    /** Shown items with a vector hit: id and the hit's score. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> vectorHits(JsonPath r) {
        List<Map<String, Object>> items = r.getList("items");
        return items.stream()
                .filter(i -> ((Map<String, Object>) ((Map<String, Object>) i.get("explain")).get("sources")).containsKey("vector"))
                .map(i -> Map.of("id", i.get("id"),
                        "score", ((Map<String, Map<String, Object>>) ((Map<String, Object>) i.get("explain")).get("sources")).get("vector").get("score")))
                .toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
