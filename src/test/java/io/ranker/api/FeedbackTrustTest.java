package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.ranker.features.CounterCodec;
import io.ranker.features.FeatureKeys;
import io.ranker.features.FeatureSettings;
import io.ranker.features.FeatureStore;
import io.ranker.testing.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Finding 2 over HTTP: made-up impression ids never reach the real-time counters; served ones do. */
@QuarkusTest
class FeedbackTrustTest {
    @Inject
    FeatureStore store;
    @Inject
    FeatureSettings settings;

    CounterCodec.Counts counts(String item) throws Exception {
        String key = new FeatureKeys(settings.redis().buckets()).counters(item);
        CounterCodec.Counts c = CounterCodec.decode(store.get(List.of(key)).get(5, TimeUnit.SECONDS)[0]);
        return c == null ? new CounterCodec.Counts(0, 0, 0) : c;
    }

    void click(String impressionId, String item, boolean known) {
        given().header(TestKeys.INGEST).contentType(ContentType.JSON)
                .body("{\"impressionId\":\"" + impressionId + "\",\"itemId\":\"" + item + "\",\"type\":\"click\"}")
                .post("/v1/feedback").then().statusCode(202).body("impressionKnown", equalTo(known));
    }

    @Test
    void forgedClicksAreAcceptedForAuditButNeverCounted() throws Exception {
        JsonPath rank = given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"userId\":\"u-trust\",\"limit\":5}")
                .post("/v1/rank").then().statusCode(200).extract().jsonPath();
        String impressionId = rank.getString("impressionId");
        assertThat(impressionId).matches("[0-9a-f-]{36}\\.[A-Za-z0-9_-]{22}");
        String item = rank.getString("items[0].id");
        CounterCodec.Counts before = counts(item);

        String unsigned = impressionId.substring(0, impressionId.indexOf('.'));
        for (int i = 0; i < 200; i++) click(UUID.randomUUID().toString(), item, false);
        click(unsigned, item, false);
        click(unsigned + ".AAAAAAAAAAAAAAAAAAAAAA", item, false);
        CounterCodec.Counts afterForged = counts(item);
        assertThat(afterForged.clicks()).as("forged clicks moved the counter").isLessThanOrEqualTo(before.clicks() + 1e-9);

        click(impressionId, item, true);
        CounterCodec.Counts afterReal = counts(item);
        assertThat(afterReal.clicks()).isGreaterThan(afterForged.clicks());
        assertThat(afterReal.clicks()).isLessThanOrEqualTo(afterReal.impressions());
    }
}
