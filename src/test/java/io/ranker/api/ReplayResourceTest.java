package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.ranker.replay.ReplayReportSchema;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@TestProfile(ReplayResourceTest.EveryCandidateSetLogged.class)
class ReplayResourceTest {

    /** Every impression logs its candidate set, so a handful of requests is enough to replay. */
    public static class EveryCandidateSetLogged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ranking.log.candidate-sample-rate", "1.0", "ranking.replay.progress-every", "5");
        }
    }

    private static JsonPath poll(String jobId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonPath job = given().header(TestKeys.ADMIN).when().get("/v1/replay/" + jobId).then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            if (!status.equals("running") || System.currentTimeMillis() > deadline) return job;
            assertThat(job.getDouble("progress")).isBetween(0.0, 1.0);
            Thread.sleep(200);
        }
    }

    @Test
    void aReplayJobRunsOverTheLoggedTrafficAndReportsEstimates() throws Exception {
        String from = Instant.now().minusSeconds(1).toString();
        String run = Long.toString(System.nanoTime(), 36); // fresh users: no seen history from earlier runs
        for (int i = 0; i < 25; i++) {
            JsonPath rank = given().contentType(ContentType.JSON)
                    .body("{\"surface\":\"feed\",\"userId\":\"u-replay-" + run + "-" + i + "\",\"limit\":10}")
                    .when().post("/v1/rank").then().statusCode(200).extract().jsonPath();
            List<String> shown = rank.getList("items.id", String.class);
            if (i % 2 == 0) {
                given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                        .body("{\"impressionId\":\"" + rank.getString("impressionId") + "\",\"itemId\":\"" + shown.get(i % 3)
                                + "\",\"type\":\"click\"}")
                        .when().post("/v1/feedback").then().statusCode(202);
            }
        }
        String jobId = given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"from\":\"" + from + "\"}")
                .when().post("/v1/replay").then().statusCode(202)
                .body("status", equalTo("running")).body("jobId", notNullValue())
                .extract().path("jobId");
        JsonPath job = poll(jobId);
        assertThat(job.getString("status")).as(String.valueOf(job.getMap("error"))).isEqualTo("done");
        assertThat(job.getDouble("progress")).isEqualTo(1.0);
        assertThat(job.getLong("processed")).isGreaterThanOrEqualTo(25);
        assertThat(job.getLong("result.input.impressionsReplayed")).isGreaterThanOrEqualTo(25);
        // the live feed policy (freshness, bury on rating, exclude_seen, slots, caps) re-applied on the logged
        // candidates reproduces every served list
        assertThat(job.getDouble("result.reproduction.shareReproduced")).isEqualTo(1.0);
        assertThat(job.getLong("result.input.feedbackEventsJoined")).isGreaterThanOrEqualTo(13);
        assertThat(job.getDouble("result.offPolicy.logged.estimates.snips.value")).isBetween(0.0, 1.0);
        assertThat(job.getList("result.offPolicy.candidate.estimates.ips.ci95")).hasSize(2);
        assertThat(job.getMap("result.rankingChanges")).containsKeys("shareChanged", "overlapAtK", "kendallTau", "exposureShift");
        assertThat(job.getMap("result.offlineMetrics")).containsEntry("biased", true);
        ReplayReportSchema.assertValid(job.getMap("result"));

        // a candidate rule set: one item per brand in the top 10 changes lists
        String capped = "rules:\\n  - id: one-per-brand\\n    type: cap\\n    attribute: brand\\n    max: 1\\n    topK: 10\\n";
        String capJob = given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"from\":\"" + from + "\",\"maxImpressions\":25,\"policyYaml\":\"" + capped + "\"}")
                .when().post("/v1/replay").then().statusCode(202).extract().path("jobId");
        JsonPath cap = poll(capJob);
        assertThat(cap.getString("status")).isEqualTo("done");
        assertThat(cap.getLong("result.input.impressionsReplayed")).isEqualTo(25);
        assertThat(cap.getString("result.candidate.policy")).isNotEqualTo("logged");
        assertThat(cap.getDouble("result.rankingChanges.shareChanged")).isGreaterThan(0.0);
        ReplayReportSchema.assertValid(cap.getMap("result"));

        // a candidate explorer: the deterministic list (no exploration) changes the explored lists, and its
        // propensities are 1 where the logging policy explored
        String noExplore = given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"from\":\"" + from + "\",\"maxImpressions\":25,\"explorer\":{\"type\":\"none\"}}")
                .when().post("/v1/replay").then().statusCode(202).extract().path("jobId");
        JsonPath none = poll(noExplore);
        assertThat(none.getString("status")).as(String.valueOf(none.getMap("error"))).isEqualTo("done");
        assertThat(none.getLong("result.input.impressionsReplayed")).isEqualTo(25);
        assertThat(String.valueOf(none.getMap("result.candidate"))).contains("none");
        ReplayReportSchema.assertValid(none.getMap("result"));

        given().header(TestKeys.ADMIN).when().get("/v1/replay").then().statusCode(200).body("jobId", hasItem(jobId));
    }

    /** The dry run applies the checks of /v1/policies/validate (live catalog attributes, surfaces with a pipeline). */
    @Test
    void theDryRunRefusesWhatValidateRefuses() {
        String typo = "rules:\n  - {id: b, type: boost, when: {attribute: categroy, eq: coffee}, multiply: 2}\n";
        given().contentType("application/yaml").body(typo.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/policies/validate")
                .then().statusCode(422).body("errors.message", hasItem(org.hamcrest.Matchers.containsString("unknown attribute 'categroy'")));
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"policyYaml\":\"" + typo.replace("\n", "\\n") + "\"}")
                .when().post("/v1/replay").then().statusCode(422).contentType("application/problem+json")
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("unknown attribute 'categroy'")))
                .body("errors.pointer", hasItem(org.hamcrest.Matchers.startsWith("/policyYaml")));
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feeds\"}")
                .when().post("/v1/replay").then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/surface"))
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("unknown surface 'feeds'")));
        String declared = "surface: feeds\nrules: []\n";
        given().contentType("application/yaml").body(declared.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/policies/validate")
                .then().statusCode(422).body("errors.message", hasItem(org.hamcrest.Matchers.containsString("unknown surface 'feeds'")));
    }

    @Test
    void badSubmissionsAreProblemsWithPointers() {
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"from\":\"yesterday\"}")
                .when().post("/v1/replay").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/from"));
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"from\":\"2026-01-01T00:00:00Z\"}")
                .when().post("/v1/replay").then().statusCode(400).body("errors.pointer", hasItem("/surface"));
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"policyYaml\":\"rules:\\n  - id: x\\n    type: nope\\n\"}")
                .when().post("/v1/replay").then().statusCode(422).contentType("application/problem+json");
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"modelVersion\":\"doesnotexist\"}")
                .when().post("/v1/replay").then().statusCode(422).body("errors.pointer", hasItem("/modelVersion"));
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}")
                .when().post("/v1/replay").then().statusCode(422).body("errors.pointer", hasItem("/to"));
        given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"explorer\":{\"type\":\"plackett-luce\",\"epsilon\":2}}")
                .when().post("/v1/replay").then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/explorer/epsilon"));
        given().header(TestKeys.ADMIN).when().get("/v1/replay/00000000-0000-0000-0000-000000000000").then().statusCode(404);
        given().header(TestKeys.ADMIN).when().delete("/v1/replay/00000000-0000-0000-0000-000000000000").then().statusCode(404);
    }

    /** Finding 9: a job can be cancelled; after DELETE it is cancelled (if it was still running) or gone (if it had ended). */
    @Test
    void aJobCanBeCancelled() {
        String jobId = given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\"}")
                .when().post("/v1/replay").then().statusCode(202).extract().path("jobId");
        given().header(TestKeys.ADMIN).when().delete("/v1/replay/" + jobId).then().statusCode(204);
        int status = given().header(TestKeys.ADMIN).when().get("/v1/replay/" + jobId).then().extract().statusCode();
        if (status == 200) {
            String s = given().header(TestKeys.ADMIN).when().get("/v1/replay/" + jobId).then().extract().path("status");
            org.assertj.core.api.Assertions.assertThat(s).isIn("cancelled", "running");
        } else {
            org.assertj.core.api.Assertions.assertThat(status).isEqualTo(404);
        }
        given().header(TestKeys.INGEST).when().delete("/v1/replay/" + jobId).then().statusCode(403);
    }

    @Test
    void aModelNeedingFeaturesTheLogsLackIsRefusedWithTheirNames() throws Exception {
        given().contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"userId\":\"u-replay-mf\",\"limit\":5}")
                .when().post("/v1/rank").then().statusCode(200);
        // a stored version whose manifest asks for features no logged candidate carries
        java.nio.file.Path dir = java.nio.file.Path.of("target/test-data/models/replaytest-missing");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("manifest.json"),
                "{\"features\":[\"item.ctr_7d\",\"user.lifetime_value\"],\"objective\":\"binary:logistic\"}");
        java.nio.file.Files.writeString(dir.resolve("model.json"), "{}");
        try {
            given().header(TestKeys.ADMIN).contentType(ContentType.JSON).body("{\"surface\":\"feed\",\"modelVersion\":\"replaytest-missing\"}")
                .when().post("/v1/replay").then().statusCode(422).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("user.lifetime_value"))
                .body("errors.pointer", hasItem("/modelVersion"));
        } finally {
            // the test data directory is shared: leave no unloadable version behind for other tests
            java.nio.file.Files.deleteIfExists(dir.resolve("manifest.json"));
            java.nio.file.Files.deleteIfExists(dir.resolve("model.json"));
            java.nio.file.Files.deleteIfExists(dir);
        }
    }
}
