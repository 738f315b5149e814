package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The catalog endpoints in the single-node mode (ranking.state.store=local): the digest follows every write,
 * {@code ?wait=applied} makes a write searchable before the answer, a wrong wait value is a 400 problem, and the
 * changelog status says there is none. The shared mode is SharedCatalogIT's (several replicas and a real Redis).
 */
@QuarkusTest
class CatalogEndpointsTest {
    static String digest() {
        return given().when().get("/v1/catalog/digest").then().statusCode(200).body("position", nullValue())
                .extract().jsonPath().getString("digest");
    }

    static List<String> search(String word) {
        return given().header(io.ranker.testing.TestKeys.INGEST).contentType(ContentType.JSON).body("{\"surface\":\"search\",\"userId\":\"u1\",\"query\":\"" + word + "\",\"limit\":5}")
                .when().post("/v1/rank").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void theDigestFollowsWritesAndWaitAppliedMakesThemSearchableAtOnce() {
        // the test data directory outlives a run: an id and a word no earlier run wrote
        String run = Long.toString(System.nanoTime(), 36);
        String id = "dg-" + run, word = "quaxilon" + run;
        String before = digest();
        int items = given().when().get("/v1/catalog/digest").then().extract().jsonPath().getInt("items");
        given().header(io.ranker.testing.TestKeys.INGEST).contentType(ContentType.JSON).body("[{\"id\":\"" + id + "\",\"title\":\"" + word + " lamp\"}]")
                .when().put("/v1/items?wait=applied").then().statusCode(200).body("accepted", equalTo(1)).body("position", nullValue());
        assertThat(search(word)).as("searchable when the answer arrives (popular items fill the rest)").startsWith(id);
        String after = digest();
        assertThat(after).isNotEqualTo(before).matches("[0-9a-f]{64}");
        given().when().get("/v1/catalog/digest").then().body("items", equalTo(items + 1));
        // the same content again: the same digest (content, not history)
        given().header(io.ranker.testing.TestKeys.INGEST).contentType(ContentType.JSON).body("[{\"id\":\"" + id + "\",\"title\":\"" + word + " lamp\"}]").when().put("/v1/items").then().statusCode(200);
        assertThat(digest()).isEqualTo(after);
        given().header(io.ranker.testing.TestKeys.INGEST).when().delete("/v1/items/" + id + "?wait=applied").then().statusCode(204);
        assertThat(search(word)).doesNotContain(id);
        assertThat(digest()).isEqualTo(before);
    }

    @Test
    void aWaitOtherThanAppliedIsABadRequest() {
        given().header(io.ranker.testing.TestKeys.INGEST).contentType(ContentType.JSON).body("[{\"id\":\"dg-2\",\"title\":\"x\"}]").when().put("/v1/items?wait=visible")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/wait"));
        given().when().get("/v1/items/dg-2").then().statusCode(404);
    }

    @Test
    void theChangelogStatusSaysTheCatalogIsLocal() {
        given().when().get("/v1/catalog/changelog").then().statusCode(200).body("mode", equalTo("local")).body("ready", equalTo(true));
    }
}
