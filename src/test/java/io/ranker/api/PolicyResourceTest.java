package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class PolicyResourceTest {
    /** Health, metrics and the OpenAPI document are on the management interface, not the serving port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementUrl;

    io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + managementUrl.getHost()).port(managementUrl.getPort());
    }

    static final String TOKEN = "Bearer test-admin-token";
    static final String V1 = "rules:\n  - {id: drop-out-of-stock, type: filter, when: {attribute: in_stock, eq: false}}\n";
    static final String V2 = V1 + "  - {id: brand-cap, type: cap, attribute: brand, max: 1, topK: 3}\n";

    /** RestAssured has no encoder for application/yaml: send the text as bytes. */
    static byte[] yaml(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void validateAcceptsAndRejects() {
        given().contentType("application/yaml").body(yaml(V2)).post("/v1/policies/validate")
                .then().statusCode(200).body("valid", equalTo(true)).body("rules", equalTo(2)).body("version", notNullValue());
        given().contentType("application/yaml").body(yaml("rules:\n  - {id: c, type: cap, attribute: brand, max: two, topK: 3}\n  - {id: x, type: shuffle}\n"))
                .post("/v1/policies/validate")
                .then().statusCode(422).contentType(containsString("problem+json"))
                .body("errors", hasSize(2))
                .body("errors[0].line", equalTo(2)).body("errors[0].column", notNullValue())
                .body("errors[0].message", containsString("rule 'c'"))
                .body("errors[1].message", containsString("unknown rule type 'shuffle'"));
        given().contentType("application/yaml").body(yaml("rules: [\n")).post("/v1/policies/validate")
                .then().statusCode(422).body("errors[0].message", containsString("malformed YAML"));
        given().contentType("application/yaml").body(yaml("")).post("/v1/policies/validate").then().statusCode(422);
    }

    @Test
    void aliasBombIsA422() {
        StringBuilder b = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            b.append(c).append(": &").append(c).append(" [").append("*").append((char) (c - 1));
            for (int i = 0; i < 8; i++) b.append(",*").append((char) (c - 1));
            b.append("]\n");
        }
        given().contentType("application/yaml").body(yaml(b.toString() + "rules: []\n")).post("/v1/policies/validate")
                .then().statusCode(422).body("errors[0].message", containsString("aliases"));
    }

    @Test
    void publishNeedsTheTokenAndRollbackRestores() {
        String surface = "t" + System.nanoTime();
        given().contentType("application/yaml").body(yaml(V1)).put("/v1/policies/" + surface).then().statusCode(401);
        given().contentType("application/yaml").header("Authorization", "Bearer wrong").body(yaml(V1))
                .put("/v1/policies/" + surface).then().statusCode(401);
        given().get("/v1/policies/" + surface).then().statusCode(404);

        String v1 = given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml(V1))
                .queryParam("author", "alice").queryParam("comment", "first")
                .put("/v1/policies/" + surface).then().statusCode(200)
                .body("author", equalTo("admin")).body("comment", equalTo("first (stated author: alice)")).extract().path("version");
        String v2 = given().contentType("application/yaml").header("Authorization", TOKEN).header("X-Policy-Comment", "cap")
                .body(yaml(V2)).put("/v1/policies/" + surface).then().statusCode(200).extract().path("version");

        given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml("rules: {")).put("/v1/policies/" + surface)
                .then().statusCode(422);
        given().get("/v1/policies/" + surface).then().statusCode(200)
                .body("version.version", equalTo(v2)).body("source", equalTo(V2));
        given().get("/v1/policies/" + surface + "/versions").then().statusCode(200)
                .body("live", equalTo(v2)).body("versions.version", contains(v1, v2));

        given().post("/v1/policies/" + surface + "/rollback").then().statusCode(401);
        given().header("Authorization", TOKEN).post("/v1/policies/" + surface + "/rollback")
                .then().statusCode(200).body("version", equalTo(v1));
        given().get("/v1/policies/" + surface).then().body("version.version", equalTo(v1));
        given().header("Authorization", TOKEN).queryParam("version", v2).post("/v1/policies/" + surface + "/rollback")
                .then().statusCode(200).body("version", equalTo(v2));
        given().header("Authorization", TOKEN).queryParam("version", "0123456789ab").post("/v1/policies/" + surface + "/rollback")
                .then().statusCode(404);
        given().header("Authorization", TOKEN).queryParam("version", "../../x").post("/v1/policies/" + surface + "/rollback")
                .then().statusCode(400);
        given().get("/v1/policies/Bad!").then().statusCode(400);
    }

    @Test
    void previewShowsBeforeAndAfterWithTraces() {
        Map<String, Object> body = Map.of(
                "request", Map.of("surface", "search", "userId", "u1", "limit", 5),
                "policy", V2 + "  - {id: pin-p18, type: pin, item: p18, position: 1}\n");
        // previews take a rank request of a live surface, checked as /v1/rank checks it; "before" is its live rule set
        String live = given().get("/v1/policies/search").then().statusCode(200).extract().path("version.version");
        io.restassured.path.json.JsonPath preview = given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body(body)
                .post("/v1/policies/preview").then().statusCode(200)
                .body("candidates", equalTo(20))
                .body("before.policyVersion", equalTo(live))
                .body("before.items", hasSize(5))
                .body("after.items.id", contains("p18", "p1", "p2", "p0", "p3"))
                .body("after.items[0].trace[0].rule", equalTo("pin-p18"))
                .body("after.items[0].trace[0].action", equalTo("pinned"))
                .body("after.removed.id", hasItem("p4"))
                .body("after.placement.fixedPositions.1", equalTo("p18")).extract().jsonPath();
        // positionBefore is where the live rules put the item (null when they did not show it)
        int before = preview.getList("before.items.id").indexOf("p1");
        org.assertj.core.api.Assertions.assertThat(preview.<Integer>get("after.items[1].positionBefore"))
                .isEqualTo(before < 0 ? null : before + 1);
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("request", Map.of("surface", "search", "limit", 3), "policy", "rules: [}"))
                .post("/v1/policies/preview").then().statusCode(422);
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body(Map.of("request", Map.of("surface", "search", "limit", 0)))
                .post("/v1/policies/preview").then().statusCode(400);
        // the same validation as /v1/rank: these were NullPointerException 500s (finding 9)
        for (String bad : java.util.List.of("{\"surface\":\"search\",\"filters\":[null]}", "{\"surface\":\"search\",\"context\":{\"a\":null}}",
                "{\"surface\":\"search\",\"candidateIds\":[null]}", "{\"surface\":\"search\",\"filters\":{\"nope\":[\"x\"]}}")) {
            given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"request\":" + bad + "}")
                    .post("/v1/policies/preview").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors[0].pointer", org.hamcrest.Matchers.startsWith("/request/"));
        }
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"request\":{\"surface\":\"nope\"}}")
                .post("/v1/policies/preview").then().statusCode(404);
    }

    @jakarta.inject.Inject
    AdmissionGate gate;

    /** Under load a preview is refused exactly as /v1/rank is (finding 9: it used to skip the gate). */
    @Test
    void previewWaitsForTheSameAdmissionSlotsAsRank() {
        java.util.List<AdmissionGate.Permit> held = new java.util.ArrayList<>();
        try {
            while (gate.inFlight() < gate.maxInFlight()) held.add(gate.enter());
            given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body(Map.of("request", Map.of("surface", "search", "limit", 3)))
                    .post("/v1/policies/preview").then().statusCode(503).header("Retry-After", "1");
            given().contentType(ContentType.JSON).body(Map.of("surface", "search", "limit", 3)).post("/v1/rank").then().statusCode(503);
        } finally {
            held.forEach(AdmissionGate.Permit::close);
        }
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body(Map.of("request", Map.of("surface", "search", "limit", 3)))
                .post("/v1/policies/preview").then().statusCode(200);
    }

    @Test
    void shippedFilesAreLiveAndReadinessReportsThem() {
        given().get("/v1/policies/search").then().statusCode(200).body("version.source", notNullValue());
        management().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'policies' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'policies' }.data", notNullValue());
    }
}
