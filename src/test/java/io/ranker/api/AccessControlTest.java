package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.ranker.testing.TestKeys;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Scoped keys over HTTP (issue 15, findings 1 and 3 and the anonymous upload of 14). The test profile configures
 * keys, so every call below comes from localhost and still needs one.
 */
@QuarkusTest
class AccessControlTest {
    static final String ITEM = "[{\"id\":\"acl-1\",\"title\":\"Access lamp\",\"attributes\":{\"brand\":\"acl\"}}]";

    @Test
    void catalogWritesNeedAnIngestKeyEvenFromLocalhost() {
        given().contentType(ContentType.JSON).body(ITEM).put("/v1/items").then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer realm=\"ranker\"")
                .body("detail", containsString("'ingest' (or 'admin') scope"));
        given().header("Authorization", "Bearer not-a-key").contentType(ContentType.JSON).body(ITEM).put("/v1/items")
                .then().statusCode(401).header("WWW-Authenticate", containsString("invalid_token"));
        given().header(TestKeys.RANK).contentType(ContentType.JSON).body(ITEM).put("/v1/items").then().statusCode(403)
                .body("detail", equalTo("The key 'test-app' has the scope rank; this operation needs 'ingest' (or 'admin')"));
        given().header(TestKeys.INGEST).contentType(ContentType.JSON).body(ITEM).put("/v1/items").then().statusCode(200);
        given().get("/v1/items/acl-1").then().statusCode(200); // reads stay open

        given().delete("/v1/items/acl-1").then().statusCode(401);
        given().get("/v1/items/acl-1").then().statusCode(200);
        given().header(TestKeys.INGEST).delete("/v1/items/acl-1").then().statusCode(204);

        given().contentType(ContentType.JSON).body("[{\"entity\":\"user\",\"id\":\"u1\",\"values\":{}}]").put("/v1/features")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"impressionId\":\"i\",\"itemId\":\"a\",\"type\":\"click\"}").post("/v1/feedback")
                .then().statusCode(401);
    }

    @Test
    void replayPreviewAndServedTrafficNeedAdmin() {
        given().contentType(ContentType.JSON).body("{\"surface\":\"feed\"}").post("/v1/replay").then().statusCode(401);
        given().header(TestKeys.INGEST).contentType(ContentType.JSON).body("{\"surface\":\"feed\"}").post("/v1/replay")
                .then().statusCode(403);
        given().get("/v1/replay").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("request", Map.of("surface", "search")))
                .post("/v1/policies/preview").then().statusCode(401);
        given().header(TestKeys.INGEST).contentType(ContentType.JSON).body(Map.of("request", Map.of("surface", "search")))
                .post("/v1/policies/preview").then().statusCode(403);
        given().get("/v1/impressions/recent").then().statusCode(401);
        given().get("/v1/models").then().statusCode(401);
        given().header(TestKeys.POLICY_BOT).get("/v1/admin/token").then().statusCode(204);
        given().header(TestKeys.INGEST).get("/v1/admin/token").then().statusCode(403);
    }

    @Test
    void rankingAndReadsStayOpen() {
        given().contentType(ContentType.JSON).body("{\"surface\":\"search\",\"query\":\"lamp\",\"limit\":3}").post("/v1/rank")
                .then().statusCode(200);
        given().get("/v1/policies/search").then().statusCode(200);
        given().get("/v1/schemas/policy").then().statusCode(200);
        given().contentType("application/yaml").body("rules: []\n".getBytes(StandardCharsets.UTF_8)).post("/v1/policies/validate")
                .then().statusCode(200);
    }

    /** The recorded author is the key's name; a stated author is a comment, and cannot forge a log line. */
    @Test
    void theKeyNameIsTheAuthorAndStatedAuthorsAreEscapedComments() {
        String surface = "acl" + System.nanoTime();
        given().header(TestKeys.POLICY_BOT).contentType("application/yaml")
                .queryParam("author", "mallory\n2026-12-01 INFO [io.ranker.policy.PolicyRegistry] forged")
                .queryParam("comment", "tidy\r\nup")
                .body("rules: []\n".getBytes(StandardCharsets.UTF_8)).put("/v1/policies/" + surface)
                .then().statusCode(200)
                .body("author", equalTo("policy-bot"))
                .body("comment", equalTo("tidy\\r\\nup (stated author: mallory\\n2026-12-01 INFO [io.ranker.policy.PolicyRegistry] forged)"))
                .body("comment", not(containsString("\n")));
        given().get("/v1/policies/" + surface + "/versions").then().statusCode(200)
                .body("history[0].author", equalTo("policy-bot"));
    }

    /** A 60 MB multipart upload without a key is answered before its body is sent (finding 14). */
    @Test
    void anAnonymousUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (Socket s = new Socket("localhost", RestAssured.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/models HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 62914560\r\n\r\n"
                    + "--xyz\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m.ubj\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // not one more byte: a server that read the body first would wait here until the timeout
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 401");
        }
    }
}
