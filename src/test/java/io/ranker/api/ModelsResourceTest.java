package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.ranker.scoring.ModelManifest;
import io.ranker.scoring.ScoringService;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@TestProfile(ModelsResourceTest.Isolated.class)
class ModelsResourceTest {
    // Names from ranking-config/features.yaml: the service started scoring with that schema.
    static final List<String> FEATURES = List.of("popularity", "ctr_7d", "review_count");
    static final String AUTH = "Bearer test-admin-token";

    /** Own data and models.yaml under target/, so the test never touches ranking-config/. */
    public static class Isolated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ranking.data-dir", "target/models-resource-test/data",
                    "ranking.models.file", "target/models-resource-test/models.yaml",
                    "ranking.admin.token", "test-admin-token");
        }
    }

    @Inject
    ScoringService scoring;

    static byte[] model(int rounds) throws Exception {
        Random r = new Random(rounds);
        int n = 200;
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = r.nextFloat();
            y[i] = x[i * 3] > 0.5 ? 1 : 0;
        }
        return new XgboostTrainer().train(new TrainingSet(FEATURES, x, y, null, null),
                Map.of("objective", "binary:logistic", "max_depth", 2), rounds).toByteArray("ubj");
    }

    static Path file(String name, byte[] bytes) throws Exception {
        Path p = Files.createTempFile("upload-", name);
        p.toFile().deleteOnExit(); // one per upload in these tests: do not leave them in /tmp
        Files.write(p, bytes);
        return p;
    }

    static final byte[] MANIFEST = new ModelManifest(FEATURES, "binary:logistic", "2026-11-26T00:00:00Z", null, Map.of()).toJson();

    String upload(byte[] model) throws Exception {
        return given().header("Authorization", AUTH)
                .multiPart("model", file(".ubj", model).toFile())
                .multiPart("manifest", file(".json", MANIFEST).toFile())
                .when().post("/v1/models")
                .then().statusCode(201).body("active", equalTo(false))
                .extract().path("version");
    }

    @Test
    void releaseLifecycleOverHttp() throws Exception {
        scoring.start(FEATURES);
        given().when().get("/v1/models").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").when().post("/v1/models/feed/rollback").then().statusCode(401);

        String v1 = upload(model(3));
        String v2 = upload(model(7));
        given().header("Authorization", AUTH).when().get("/v1/models")
                .then().statusCode(200).body("versions.version", hasItem(v1)).body("versions.version", hasItem(v2));

        // a non-model file: 4xx and nothing changes
        int before = scoring.release().registry().list().size();
        given().header("Authorization", AUTH)
                .multiPart("model", file(".ubj", "<html>not a model</html>".getBytes(StandardCharsets.UTF_8)).toFile())
                .multiPart("manifest", file(".json", MANIFEST).toFile())
                .when().post("/v1/models").then().statusCode(422).contentType("application/problem+json");
        given().header("Authorization", AUTH).multiPart("model", file(".ubj", model(3)).toFile())
                .when().post("/v1/models").then().statusCode(400);
        assertThat(scoring.release().registry().list()).hasSize(before);

        // JSON upload with base64
        String v3 = given().header("Authorization", AUTH).contentType(ContentType.JSON)
                .body(Map.of("model", Base64.getEncoder().encodeToString(model(11)),
                        "manifest", Map.of("features", FEATURES, "objective", "binary:logistic")))
                .when().post("/v1/models").then().statusCode(201).extract().path("version");
        assertThat(v3).isNotIn(v1, v2);

        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(Map.of("version", v1))
                .when().post("/v1/models/feed/promote").then().statusCode(200).body("active", equalTo(v1));
        assertThat(scoring.scorerFor("feed").version()).isEqualTo(v1);
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(Map.of("version", v2))
                .when().post("/v1/models/feed/promote").then().statusCode(200).body("previous", equalTo(v1));
        assertThat(scoring.scorerFor("feed").version()).isEqualTo(v2);
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(Map.of("version", "0123456789abcdef"))
                .when().post("/v1/models/feed/promote").then().statusCode(422);
        given().header("Authorization", AUTH).when().post("/v1/models/feed/rollback")
                .then().statusCode(200).body("active", equalTo(v1)).body("previous", equalTo(v2));
        assertThat(scoring.scorerFor("feed").version()).isEqualTo(v1);
        given().header("Authorization", AUTH).when().post("/v1/models/nowhere/rollback").then().statusCode(409);

        given().header("Authorization", AUTH).when().get("/v1/models").then().statusCode(200)
                .body("surfaces.feed.active", equalTo(v1))
                .body("audit.action", hasItem("rollback"));
    }

    /** Issue 15: a split on a column the model lacks used to crash the JVM in xgboost's native loader. */
    @Test
    void aModelWithAnOutOfRangeSplitIsRefusedAndTheServiceLivesOn() throws Exception {
        scoring.start(FEATURES);
        byte[] ubj = model(4);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode doc = json.readTree(
                ml.dmlc.xgboost4j.java.XGBoost.loadModel(ubj).toByteArray("json"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.at("/learner/gradient_booster/model/trees/0/split_indices")).set(0, 99);
        given().header("Authorization", AUTH)
                .multiPart("model", file(".json", json.writeValueAsBytes(doc)).toFile())
                .multiPart("manifest", file(".json", MANIFEST).toFile())
                .when().post("/v1/models").then().statusCode(422).contentType("application/problem+json")
                .body(org.hamcrest.Matchers.containsString("split index 99 is outside the model's 3 features"));
        given().header("Authorization", AUTH).when().get("/v1/models").then().statusCode(200);
    }
}
