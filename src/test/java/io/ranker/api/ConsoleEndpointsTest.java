package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/** The HTTP contract of what the policy console reads beyond the policy API: overview, stored texts, diffs, recent requests, the page. */
@QuarkusTest
class ConsoleEndpointsTest {
    static final String TOKEN = "Bearer test-admin-token";
    static final String V1 = "rules:\n  - {id: drop-out-of-stock, type: filter, when: {attribute: in_stock, eq: false}}\n"
            + "  - {id: brand-variety, type: cap, attribute: brand, max: 2, topK: 10}\n";
    static final String V2 = V1.replace("max: 2", "max: 3");

    private static String publish(String surface, String text) {
        return given().contentType("application/yaml").header("Authorization", TOKEN)
                .body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .put("/v1/policies/" + surface + "?author=pat&comment=test").then().statusCode(200).extract().path("version");
    }

    @Test
    void overviewStoredTextAndRuleDiff() {
        String surface = "c" + System.nanoTime();
        String v1 = publish(surface, V1);
        String v2 = publish(surface, V2);
        given().get("/v1/policies").then().statusCode(200)
                .body("surface", hasItems("feed", "search", surface));
        given().get("/v1/policies/" + surface + "/versions/" + v1).then().statusCode(200)
                .body("version.version", equalTo(v1)).body("version.author", equalTo("admin")).body("version.comment", equalTo("test (stated author: pat)")).body("source", equalTo(V1));
        given().get("/v1/policies/" + surface + "/diff?from=" + v1 + "&to=" + v2).then().statusCode(200)
                .body("changes", hasItem("~ rule brand-variety: max: 2 -> 3"));
        given().get("/v1/policies/" + surface + "/versions/000000000000").then().statusCode(404);
        given().get("/v1/policies/" + surface + "/versions/nothex").then().statusCode(400);
        given().get("/v1/policies/" + surface + "/diff?from=" + v1).then().statusCode(400);
    }

    @Test
    void recentRequestsComeFromTheImpressionLog() {
        String user = "console-user-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("surface", "search", "userId", user, "query", "saucepan", "limit", 5))
                .post("/v1/rank").then().statusCode(200);
        given().header(TestKeys.ADMIN).get("/v1/impressions/recent?surface=search&limit=20").then().statusCode(200)
                .body("findAll { it.userId == '" + user + "' }.query", hasItem("saucepan"))
                .body("surface", org.hamcrest.Matchers.everyItem(equalTo("search")));
        given().header(TestKeys.ADMIN).get("/v1/impressions/recent?surface=search&limit=0").then().statusCode(400);
        given().header(TestKeys.ADMIN).get("/v1/impressions/recent?surface=Bad!").then().statusCode(400);
    }

    @Test
    void theConsoleIsServedAtSlashConsole() {
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", containsString("/console/"));
        given().get("/console/").then().statusCode(200).body(containsString("Ranker policy console"));
        given().get("/console/js/app.js").then().statusCode(200);
        given().get("/console/vendor/js-yaml.mjs").then().statusCode(200);
    }
}
