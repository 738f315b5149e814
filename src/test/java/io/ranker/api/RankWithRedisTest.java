package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ranker.testing.InjectRedisHarness;
import io.ranker.testing.RedisServerHarness;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's acceptance on the whole service with ranking.features.store=redis against a real redis-server:
 * explain shows values read from Redis; with Redis paused (SIGSTOP) /v1/rank still answers within budget
 * with degraded naming the features; after SIGCONT it recovers without a restart.
 */
@QuarkusTest
@WithTestResource(RedisServerHarness.class)
class RankWithRedisTest {
    @InjectRedisHarness
    RedisServerHarness redis;

    private static JsonPath rank(String user) {
        return given().contentType(ContentType.JSON)
                .body("{\"surface\":\"search\",\"userId\":\"" + user + "\",\"query\":\"green tea\",\"limit\":5,\"explain\":true}")
                .when().post("/v1/rank").then().statusCode(200).extract().jsonPath();
    }

    /** A long list that surely holds the item (the new features may move it down; it is also supplied by id). */
    private static JsonPath rankWith(String user, String itemId) {
        return given().contentType(ContentType.JSON)
                .body("{\"surface\":\"search\",\"userId\":\"" + user + "\",\"query\":\"green tea\",\"limit\":100,"
                        + "\"explain\":true,\"candidateIds\":[\"" + itemId + "\"]}")
                .when().post("/v1/rank").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void explainShowsRedisValuesAndPausedRedisDegradesWithinBudgetThenRecovers() throws Exception {
        // Another test may have paused this redis-server just before: start from a served, undegraded list.
        JsonPath first = rank("u3");
        for (long until = System.currentTimeMillis() + 15_000;
             !first.getList("degraded").isEmpty() && System.currentTimeMillis() < until; first = rank("u3")) {
            Thread.sleep(100);
        }
        assertThat(first.getList("degraded", String.class)).as("features served from Redis").isEmpty();
        String top = first.getString("items[0].id");
        Map<String, Object> before = first.getMap("items[0].explain.features");
        // A feature write replaces the item's whole stored row, so write every stored item feature back as served
        // and change only review_count, by one: a big or partial change would move the item far down the list
        // (the model reads these features), and the test would look for it in vain.
        float expected = ((Number) before.get("review_count")).floatValue() + 1;
        String row = "{\"popularity\":" + before.get("popularity") + ",\"ctr_7d\":" + before.get("ctr_7d")
                + ",\"stock\":" + before.get("stock") + ",\"review_count\":" + (int) expected + "}";
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("[{\"entity\":\"item\",\"id\":\"" + top + "\",\"values\":" + row + "}]")
                .when().put("/v1/features").then().statusCode(200);
        // The hot-item cache may hold the old value for its TTL (2 s); the Redis value must show after it. On a
        // busy machine a read can also miss the 20 ms feature budget (NaN, degraded), so allow several tries.
        long deadline = System.currentTimeMillis() + 30_000;
        Float shown = null;
        while (System.currentTimeMillis() < deadline) {
            JsonPath r = rankWith("u3", top);
            List<String> ids = r.getList("items.id", String.class);
            int at = ids.indexOf(top);
            assertThat(at).as("item %s (re-written with the same features but one) is still in the top 100", top).isNotNegative();
            shown = r.getFloat("items[" + at + "].explain.features.review_count");
            if (shown != null && shown == expected) break;
            Thread.sleep(200);
        }
        assertThat(shown).isEqualTo(expected);

        redis.pause();
        try {
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                JsonPath r = rank("u-paused-" + i);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.getList("items")).isNotEmpty();
                assertThat(r.getList("degraded", String.class)).anyMatch(d -> d.startsWith("features:"));
                // budgets: features 20 ms, total 150 ms; allow generous slack for a shared CI machine
                assertThat(millis).as("request %d took %d ms with Redis paused", i, millis).isLessThan(1_500);
            }
        } finally {
            redis.resume();
        }
        deadline = System.currentTimeMillis() + 15_000;
        List<String> degraded = List.of("not yet");
        while (System.currentTimeMillis() < deadline && !degraded.isEmpty()) {
            Thread.sleep(250);
            degraded = rank("u4").getList("degraded", String.class);
        }
        assertThat(degraded).as("recovered after SIGCONT without a restart").isEmpty();
    }
}
