package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class AdminTokenResourceTest {

    @Test
    void theRightTokenIsAcceptedAndAWrongOrMissingOneIsAProblem() {
        given().header("Authorization", "Bearer test-admin-token")
                .when().get("/v1/admin/token").then().statusCode(204);
        given().header("Authorization", "Bearer wrong")
                .when().get("/v1/admin/token").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("admin token"));
        given().when().get("/v1/admin/token").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }
}
