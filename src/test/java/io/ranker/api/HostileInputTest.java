package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ranker.catalog.CatalogIndex;
import io.ranker.testing.LocalOnlyProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Issue 15's input findings, each as it was reproduced: every one is a 4xx naming the problem, never a 500, and
 * nothing of a refused write is applied. Runs as the demo does (no keys: calls from this host may write).
 */
@QuarkusTest
@TestProfile(LocalOnlyProfile.class)
class HostileInputTest {
    static final String RECURSIVE = "&a [*a]";

    @Inject
    io.ranker.app.RankerRuntime runtime;

    static byte[] yaml(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Finding 4: a seven-byte recursive alias was a StackOverflowError 500 (and 69 KB of stack trace) on four endpoints. */
    @Test
    void aRecursiveYamlAliasIsA422Everywhere() {
        for (String doc : List.of(RECURSIVE, "rules: &r [*r]", "a: &x {b: *x}\nrules: []", "rules:\n  - &r {id: x, type: boost, when: *r}")) {
            given().contentType("application/yaml").body(yaml(doc)).post("/v1/policies/validate").then().statusCode(422)
                    .contentType(Problem.MEDIA_TYPE);
            given().contentType("application/yaml").body(yaml(doc)).put("/v1/policies/yamlbomb").then().statusCode(422);
            given().contentType(ContentType.JSON).body(java.util.Map.of("request", java.util.Map.of("surface", "search"), "policy", doc))
                    .post("/v1/policies/preview").then().statusCode(422);
            given().contentType(ContentType.JSON).body(java.util.Map.of("surface", "feed", "policyYaml", doc))
                    .post("/v1/replay").then().statusCode(422);
        }
        given().contentType("application/yaml").body(yaml(RECURSIVE)).post("/v1/policies/validate").then()
                .body("errors[0].message", containsString("recursive alias"));
        given().get("/v1/policies/yamlbomb").then().statusCode(404);
    }

    /** Finding 14: duplicate keys were accepted, last one winning. */
    @Test
    void duplicateJsonKeysAreRefused() {
        given().contentType(ContentType.JSON).body("{\"surface\":\"search\",\"limit\":5,\"limit\":5000}").post("/v1/rank")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("Duplicate field 'limit'"));
        given().contentType(ContentType.JSON).body("{\"impressionId\":\"i\",\"itemId\":\"a\",\"itemId\":\"b\",\"type\":\"click\"}")
                .post("/v1/feedback").then().statusCode(400).body("detail", containsString("Duplicate field 'itemId'"));
        given().contentType(ContentType.JSON).body("[{\"id\":\"dup-1\",\"title\":\"a\",\"title\":\"b\"}]").put("/v1/items")
                .then().statusCode(400);
        given().get("/v1/items/dup-1").then().statusCode(404);
    }

    /** Findings 9 and 14: replay's time range overflowed into a 500, and its 422 showed server paths. */
    @Test
    void replayRangesAreBoundedAndErrorsShowNoServerPaths() {
        given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"to\":\"+1000000000-12-31T23:59:59Z\"}").post("/v1/replay")
                .then().statusCode(400).body("errors.pointer", hasItem("/to")).body("detail", containsString("out of range"));
        given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"from\":\"-292275055-05-16T16:47:04.192Z\"}").post("/v1/replay")
                .then().statusCode(400).body("errors.pointer", hasItem("/from"));
        String here = Path.of("").toAbsolutePath().toString();
        given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"modelVersion\":\"0123456789abcdef\"}").post("/v1/replay")
                .then().statusCode(422).body("detail", not(containsString(here))).body("detail", not(containsString("test-data")));
    }

    /** Finding 13: promote took any surface name. */
    @Test
    void modelSurfacesAreValidatedLikeEveryOtherSurface() {
        for (String surface : List.of("..%2F..%2Fetc", "a%0Ab", "x".repeat(300), "Feed")) {
            given().contentType(ContentType.JSON).body("{\"version\":\"0123456789abcdef\"}").post("/v1/models/" + surface + "/promote")
                    .then().statusCode(400).body("detail", containsString("'surface' must be"));
            given().post("/v1/models/" + surface + "/rollback").then().statusCode(400);
        }
    }

    /**
     * Finding 7: a 40 KB attribute value was a 500 after part of the batch was applied; an item with the over-long value
     * is now rejected whole, before anything of the batch is written, and the rest is accepted.
     */
    @Test
    void anOverlongAttributeValueIsRejectedAndNothingOfItApplied() throws Exception {
        String big = "x".repeat(40_000);
        given().contentType(ContentType.JSON).body("[{\"id\":\"long-ok\",\"title\":\"fine\"},{\"id\":\"long-bad\",\"title\":\"t\","
                        + "\"attributes\":{\"note\":\"" + big + "\"}},{\"id\":\"long-list\",\"attributes\":{\"tags\":[\"a\",\"" + big + "\"]}}]")
                .put("/v1/items").then().statusCode(422)
                .body("accepted", equalTo(1)).body("rejected.pointer", equalTo(List.of("/1/attributes/note", "/2/attributes/tags/1")));
        given().get("/v1/items/long-ok").then().statusCode(200);
        given().get("/v1/items/long-bad").then().statusCode(404);
        given().contentType(ContentType.JSON).body("[{\"id\":\"long-after\",\"title\":\"later\"}]").put("/v1/items").then().statusCode(200);
        given().get("/v1/items/long-bad").then().statusCode(404);
        runtime.index().refresh();
        assertThat(runtime.index().item("long-bad")).isNull();
        given().delete("/v1/items/long-ok").then().statusCode(204);
        given().delete("/v1/items/long-after").then().statusCode(204);
    }

    /**
     * Finding 7: items that each invented hundreds of attribute names were all accepted, and every "unknown filter"
     * error then listed all of them (712 KB). The catalog now stops at its cap and the error names a dozen at most.
     */
    @Test
    void attributeNamesAreCappedAndUnknownFilterErrorsStaySmall() {
        CatalogIndex index = runtime.index();
        int before = index.attributeTypes().size();
        assertThat(before).isLessThan(LocalOnlyProfile.MAX_ATTRIBUTE_NAMES);
        List<String> ids = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            ids.add("names-" + i);
            body.append(i == 0 ? "" : ",").append("{\"id\":\"names-").append(i).append("\",\"attributes\":{");
            for (int j = 0; j < 20; j++) body.append(j == 0 ? "" : ",").append("\"zz").append(i).append('_').append(j).append("\":\"v\"");
            body.append("}}");
        }
        given().contentType(ContentType.JSON).body(body.append("]").toString()).put("/v1/items").then().statusCode(422)
                .body("rejected[0].pointer", equalTo("/" + ((LocalOnlyProfile.MAX_ATTRIBUTE_NAMES - before) / 20) + "/attributes"))
                .body("rejected[0].message", containsString("ranking.catalog.max-attribute-names"));
        assertThat(index.attributeTypes().size()).isLessThanOrEqualTo(LocalOnlyProfile.MAX_ATTRIBUTE_NAMES);
        given().contentType(ContentType.JSON).body("[{\"id\":\"names-x\",\"attributes\":{\"brand\":\"acme\",\"zz0_1\":\"w\"}}]")
                .put("/v1/items").then().statusCode(200); // known names are always fine
        ids.add("names-x");

        String detail = given().contentType(ContentType.JSON).body("{\"surface\":\"search\",\"query\":\"a\",\"filters\":{\"zz0_l\":[\"v\"]}}")
                .post("/v1/rank").then().statusCode(400).body("errors[0].message", containsString("closest of the"))
                .body("errors[0].message", containsString("zz0_1")).extract().asString();
        assertThat(detail.length()).isLessThan(2_000);
        given().contentType(ContentType.JSON).body("{\"surface\":\"search\",\"filters\":{\"" + "q".repeat(5000) + "\":[\"v\"]}}")
                .post("/v1/rank").then().statusCode(400).body("errors[0].message.length()", lessThan(1_500));
        for (String id : ids) given().delete("/v1/items/" + id); // leave the shared test catalog as it was
    }
}
