package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A served list is in the impression log before its response returns, and feedback on it joins it. */
@QuarkusTest
class ImpressionLoggingTest {

    @Test
    void everyServedListIsLoggedAndFeedbackJoinsIt() {
        JsonPath rank = given().contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"userId\":\"u-log-1\",\"limit\":5}")
                .when().post("/v1/rank").then().statusCode(200).extract().jsonPath();
        String impressionId = rank.getString("impressionId");
        List<String> shown = rank.getList("items.id", String.class);

        // no waiting: the record was written before the response
        Optional<ImpressionRecord> logged = LogReader.of(Path.of("target/test-data/logs")).stream()
                .filter(LogEntry::isImpression).map(LogEntry::impression)
                .filter(r -> r.impressionId().equals(impressionId)).findFirst();
        assertThat(logged).isPresent();
        assertThat(logged.get().surface()).isEqualTo("feed");
        assertThat(logged.get().items()).extracting(ImpressionRecord.ShownItem::id).containsExactlyElementsOf(shown);
        assertThat(logged.get().items()).allSatisfy(i -> assertThat(i.propensity()).isBetween(0.0, 1.0));

        given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("{\"impressionId\":\"" + impressionId + "\",\"itemId\":\"" + shown.get(1) + "\",\"type\":\"click\"}")
                .when().post("/v1/feedback").then().statusCode(202).body("impressionKnown", equalTo(true));
    }
}
