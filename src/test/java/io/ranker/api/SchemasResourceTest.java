package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

/**
 * The JSON Schemas the service publishes are byte for byte the source files the tests check the code against
 * (PolicyConfigFilesTest for the rule files, the replay tests for the report), so what the policy console reads
 * is what the parser and the replay accept and write.
 */
@QuarkusTest
class SchemasResourceTest {

    @Test
    void thePolicySchemaIsTheRuleFilesSchema() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("ranking-config", "policies", "policy.schema.json"));
        Response r = given().accept("application/schema+json").when().get("/v1/schemas/policy");
        r.then().statusCode(200).contentType("application/schema+json").header("Cache-Control", containsString("no-cache"));
        assertThat(r.asByteArray()).isEqualTo(file);
        // what the console's fetch asks for (Accept: application/json)
        given().accept("application/json").when().get("/v1/schemas/policy").then().statusCode(200)
                .contentType("application/json").body("$defs.rule.properties.type.enum", hasItems("diversify", "cap"));
        // a client that has it revalidates cheaply
        given().header("If-None-Match", r.header("ETag")).when().get("/v1/schemas/policy").then().statusCode(304);
    }

    @Test
    void theReplayReportSchemaIsServed() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("src", "main", "resources", "schemas", "replay-report.schema.json"));
        assertThat(given().when().get("/v1/schemas/replay-report").then().statusCode(200).extract().asByteArray()).isEqualTo(file);
        given().when().get("/v1/schemas").then().statusCode(200)
                .body("name", hasItems("policy", "replay-report")).body("href", hasItems("/v1/schemas/policy"));
    }

    @Test
    void anUnknownSchemaIsAProblem() {
        given().when().get("/v1/schemas/nope").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("policy"));
    }
}
