package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** The small endpoints the policy console leans on: the admin token check and the catalog attribute names. */
@QuarkusTest
class ConsoleSupportEndpointsTest {

    @Test
    void theRightTokenIsAcceptedAndAWrongOrMissingOneIsAProblem() {
        given().header("Authorization", "Bearer test-admin-token")
                .when().get("/v1/admin/token").then().statusCode(204);
        given().header("Authorization", "Bearer wrong")
                .when().get("/v1/admin/token").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("API key was not accepted"));
        given().when().get("/v1/admin/token").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    /** The console's attribute suggestions: the catalog's attribute names, sorted. */
    @Test
    void catalogAttributesAreListedSorted() {
        java.util.List<String> names = given().when().get("/v1/catalog/attributes").then().statusCode(200)
                .extract().jsonPath().getList("$", String.class);
        org.assertj.core.api.Assertions.assertThat(names).contains("brand", "category", "price").isSorted();
    }

    /** Finding 14: the console had no Content-Security-Policy or frame protection, and index.html was cached as immutable. */
    @Test
    void theConsoleIsServedWithSecurityHeadersAndRevalidated() {
        for (String path : java.util.List.of("/console/", "/console/index.html", "/console/js/app.js", "/console/console.css")) {
            given().when().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", org.hamcrest.Matchers.not(containsString("unsafe-inline")))
                    .header("X-Frame-Options", "DENY")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache");
        }
        given().when().get("/v1/policies").then().statusCode(200).header("X-Content-Type-Options", "nosniff");
    }
}
