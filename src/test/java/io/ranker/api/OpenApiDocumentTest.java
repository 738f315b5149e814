package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What client generators and API portals read at /q/openapi: every operation tagged, the admin token scheme declared and named where needed. */
@QuarkusTest
class OpenApiDocumentTest {
    // the OpenAPI document is served on the management interface, with health and metrics
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationIsTaggedAndAdminOperationsNameTheBearerScheme() throws java.io.IOException {
        String json = given().port(management.getPort()).queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().asString();
        // CI lints this copy with @redocly/cli (.ci/run): the document as served, without starting another service
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), json);
        JsonPath doc = JsonPath.from(json);
        List<String> declared = doc.getList("tags.name", String.class);
        assertThat(doc.getList("tags.description", String.class)).doesNotContainNull();
        assertThat(doc.getMap("components.securitySchemes." + OpenApiDocument.ADMIN_TOKEN))
                .containsEntry("type", "http").containsEntry("scheme", "bearer");

        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<String> untagged = new ArrayList<>(), secured = new ArrayList<>(), incomplete = new ArrayList<>(), ids = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                if (!(op.getValue() instanceof Map<?, ?> operation) || !List.of("get", "put", "post", "delete", "patch").contains(op.getKey())) continue;
                operations++;
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                List<String> tags = (List<String>) operation.get("tags");
                if (tags == null || tags.isEmpty() || !declared.containsAll(tags)) untagged.add(name);
                List<Map<String, Object>> security = (List<Map<String, Object>>) operation.get("security");
                if (security != null && security.stream().anyMatch(s -> s.containsKey(OpenApiDocument.ADMIN_TOKEN))) secured.add(name);
                Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
                if (security == null || operation.get("operationId") == null
                        || responses == null || responses.keySet().stream().noneMatch(code -> code.startsWith("4"))) incomplete.add(name);
                ids.add(String.valueOf(operation.get("operationId")));
            }
        }
        assertThat(operations).isGreaterThan(20);
        assertThat(untagged).as("operations without a declared tag").isEmpty();
        assertThat(incomplete).as("operations without security (empty: public), operationId or a 4xx response").isEmpty();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(doc.getList("servers")).isNotEmpty();
        assertThat(doc.getMap("components.schemas.Problem.properties")).containsKeys("type", "title", "status", "detail", "errors");
        assertThat(secured).contains("PUT /v1/policies/{surface}", "POST /v1/policies/{surface}/rollback",
                "POST /v1/models/{surface}/promote", "GET /v1/admin/token", "PUT /v1/admin/exploration/kill-switch");
        // the document says what AccessFilter enforces: ingest writes need a key, reads of the rules do not, and ranking
        // accepts an anonymous call (an empty requirement) besides the key
        assertThat(secured).contains("PUT /v1/items", "POST /v1/feedback", "PUT /v1/features");
        assertThat(secured).noneMatch(s -> s.startsWith("GET /v1/policies/{surface}/versions"));
        List<Map<String, Object>> rank = (List<Map<String, Object>>) ((Map<String, Object>) paths.get("/v1/rank").get("post")).get("security");
        assertThat(rank).anyMatch(Map::isEmpty);
    }
}
