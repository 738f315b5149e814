package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class FeedbackResourceTest {
    /** Health, metrics and the OpenAPI document are on the management interface, not the serving port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementUrl;

    io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + managementUrl.getHost()).port(managementUrl.getPort());
    }


    @Test
    void acceptedWith202AndIdempotentOnEventId() {
        // a fresh id: the test data directory's log outlives a run, and the dedupe window is refilled from it
        String eventId = "http-" + java.util.UUID.randomUUID();
        String body = "{\"impressionId\":\"imp-http-1\",\"itemId\":\"a\",\"type\":\"click\",\"eventId\":\"" + eventId + "\"}";
        given().header(TestKeys.ADMIN).contentType("application/json").body(body).post("/v1/feedback")
                .then().statusCode(202).body("duplicate", equalTo(false)).body("impressionKnown", equalTo(false));
        given().header(TestKeys.ADMIN).contentType("application/json").body(body).post("/v1/feedback")
                .then().statusCode(202).body("duplicate", equalTo(true));
    }

    @Test
    void readinessNamesTheLog() {
        management().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("impression-log"))
                .body("checks.find { it.name == 'impression-log' }.data.writing", equalTo(true));
    }

    @Test
    void badFeedbackIsAProblemDocumentNamingTheField() {
        given().header(TestKeys.ADMIN).contentType("application/json").body("{\"impressionId\":\"i\",\"itemId\":\"a\",\"type\":\"teleport\"}")
                .post("/v1/feedback")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].pointer", equalTo("/type"));
        given().header(TestKeys.ADMIN).contentType("text/plain").body("not json").post("/v1/feedback")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
    }
}
