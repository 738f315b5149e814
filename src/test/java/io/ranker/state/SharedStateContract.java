package io.ranker.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.testing.RankerClient;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ranker.state.StateChecks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's contract, checked on three real service JVMs sharing one Redis (standalone in {@link SharedStateIT},
 * a 3-master Redis Cluster in {@link SharedStateOnRedisClusterIT}): the first start seeds the store once and trains
 * the demo model once; whatever one replica acknowledges (a policy, a model promotion or rollback, a switch) every
 * replica serves within a second; concurrent changes with the same precondition never lose an update; a dry run
 * started on one replica is read through another. The replicas are shared by the methods, which run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SharedStateContract {

    abstract ServiceCluster cluster();

    ServiceProcess a() { return cluster().replica(0); }

    ServiceProcess b() { return cluster().replica(1); }

    ServiceProcess c() { return cluster().replica(2); }

    String shipped() throws Exception {
        return Files.readString(cluster().projectDir().resolve("ranking-config/policies/search.yaml"));
    }

    @Test
    @Order(1)
    void theFirstStartSeedsTheStoreOnceAndTrainsTheDemoModelOnce() {
        Set<String> policies = new TreeSet<>();
        Set<String> models = new TreeSet<>();
        for (ServiceProcess r : cluster().replicas()) {
            policies.add(policyVersion(r));
            models.add(modelVersion(r));
        }
        assertThat(policies).as("every replica serves the same rule set").hasSize(1);
        assertThat(models).as("every replica serves the same demo model").hasSize(1).doesNotContain("none");
        JsonNode history = a().client().get("/v1/policies/search/versions").expect(200).json().path("history");
        assertThat(history).as("the rule file seeded the surface once, though three replicas started together").hasSize(1);
        assertThat(history.get(0).path("action").asText()).isEqualTo("file");
        long demoUploads = 0;
        for (JsonNode e : b().client().models().expect(200).json().path("audit")) {
            if (e.path("action").asText().equals("upload") && e.path("actor").asText().equals("system:first-start")) demoUploads++;
        }
        assertThat(demoUploads).as("the demo model was trained and uploaded once for the cluster").isEqualTo(1);
    }

    @Test
    @Order(2)
    void aPolicyPublishedOnAIsServedByBAndCWithinOneSecond() throws Exception {
        String before = policyVersion(a());
        RankerClient.Response published = publish(a(), searchRules(shipped(), 3), null).expect(200);
        long acknowledged = System.nanoTime();
        String version = published.json().path("version").asText();
        assertThat(version).isNotEqualTo(before);
        assertThat(published.header("ETag")).contains("\"" + version + "\"");
        assertThat(policyVersion(a())).as("A serves what it acknowledged").isEqualTo(version);
        for (ServiceProcess other : List.of(b(), c())) {
            long ms = awaitServed(other, StateChecks::policyVersion, version, acknowledged);
            System.out.printf("%s: %s served policy %s %d ms after A acknowledged it%n", getClass().getSimpleName(), other, version, ms);
        }
    }

    @Test
    @Order(3)
    void twoConcurrentPublishesWithTheSamePreconditionOneWinsOneGets409() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String base = a().client().livePolicy("search").expect(200).json().path("version").path("version").asText();
                CyclicBarrier start = new CyclicBarrier(2);
                String yamlA = searchRules(shipped(), 10 + 2 * round);
                String yamlB = searchRules(shipped(), 11 + 2 * round);
                Future<RankerClient.Response> fa = pool.submit(() -> {
                    start.await();
                    return publish(a(), yamlA, base);
                });
                Future<RankerClient.Response> fb = pool.submit(() -> {
                    start.await();
                    return publish(b(), yamlB, base);
                });
                RankerClient.Response ra = fa.get();
                RankerClient.Response rb = fb.get();
                List<Integer> statuses = new ArrayList<>(List.of(ra.status(), rb.status()));
                statuses.sort(null);
                assertThat(statuses).as("round %d: %s / %s", round, ra.body(), rb.body()).containsExactly(200, 409);
                RankerClient.Response winner = ra.status() == 200 ? ra : rb;
                RankerClient.Response loser = ra.status() == 200 ? rb : ra;
                long acknowledged = System.nanoTime();
                String won = winner.json().path("version").asText();
                assertThat(loser.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(loser.json().path("currentVersion").asText()).as("the 409 names the version that won").isEqualTo(won);
                for (ServiceProcess r : cluster().replicas()) awaitServed(r, StateChecks::policyVersion, won, acknowledged);
                JsonNode history = c().client().get("/v1/policies/search/versions").expect(200).json().path("history");
                assertThat(history.get(history.size() - 1).path("version").asText()).isEqualTo(won);
                assertThat(history.get(history.size() - 2).path("version").asText()).as("no update was lost or doubled").isEqualTo(base);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void aModelPromotedAndRolledBackOnBIsServedByAAndC() throws Exception {
        String demo = modelVersion(b());
        String candidate = upload(b(), modelUpload(features(b()), 12, 4242));
        assertThat(candidate).isNotEqualTo(demo);
        RankerClient.Response promoted = b().client().send("POST", "/v1/models/search/promote", "{\"version\":\"" + candidate + "\"}",
                "application/json", true, java.util.Map.of("If-Match", "\"" + demo + "\"")).expect(200);
        long acknowledged = System.nanoTime();
        assertThat(promoted.header("ETag")).contains("\"" + candidate + "\"");
        assertThat(modelVersion(b())).isEqualTo(candidate);
        for (ServiceProcess other : List.of(a(), c())) {
            long ms = awaitServed(other, StateChecks::modelVersion, candidate, acknowledged);
            System.out.printf("%s: %s served model %s %d ms after B acknowledged the promotion (fetched, verified, loaded)%n",
                    getClass().getSimpleName(), other, candidate, ms);
        }
        // a promotion made against the old active version loses
        RankerClient.Response stale = a().client().send("POST", "/v1/models/search/promote", "{\"version\":\"" + demo + "\"}",
                "application/json", true, java.util.Map.of("If-Match", "\"" + demo + "\"")).expect(409);
        assertThat(stale.json().path("currentVersion").asText()).isEqualTo(candidate);

        b().client().rollbackModel("search").expect(200);
        long rolledBack = System.nanoTime();
        for (ServiceProcess other : List.of(a(), c())) awaitServed(other, StateChecks::modelVersion, demo, rolledBack);
    }

    @Test
    @Order(5)
    void theKillSwitchOnCAndAPauseOnAAreServedEverywhere() throws Exception {
        String feedExplorer = explorer(a(), "feed");
        c().client().killSwitch(true).expect(200);
        long engaged = System.nanoTime();
        for (ServiceProcess other : List.of(a(), b())) awaitServed(other, r -> explorer(r, "search"), "none(kill-switch)", engaged);
        c().client().killSwitch(false).expect(200);
        long released = System.nanoTime();
        for (ServiceProcess other : List.of(a(), b())) awaitServed(other, r -> explorer(r, "feed"), feedExplorer, released);

        a().client().put("/v1/admin/exploration/surfaces/feed", "{\"enabled\":false}", "application/json", true).expect(200);
        long paused = System.nanoTime();
        for (ServiceProcess other : List.of(b(), c())) awaitServed(other, r -> explorer(r, "feed"), "none(paused)", paused);
        a().client().put("/v1/admin/exploration/surfaces/feed", "{\"enabled\":true}", "application/json", true).expect(200);
        long resumed = System.nanoTime();
        for (ServiceProcess other : List.of(b(), c())) awaitServed(other, r -> explorer(r, "feed"), feedExplorer, resumed);
    }

    @Test
    @Order(6)
    void aDryRunStartedThroughAIsReadThroughB() throws Exception {
        for (int i = 0; i < 30; i++) {
            a().client().rank("{\"surface\":\"search\",\"userId\":\"u" + i + "\",\"query\":\"shoes\",\"limit\":10}").expect(200);
        }
        String body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("surface", "search").put("policyYaml", searchRules(shipped(), 1)).toString();
        String jobId = a().client().post("/v1/replay", body, true).expect(202).json().path("jobId").asText();
        JsonNode seen = b().client().adminGet("/v1/replay/" + jobId).expect(200).json();
        assertThat(seen.path("replica").asText()).as("the job runs where it was accepted").isEqualTo(a().replicaId());
        eventually(120_000, "the dry run done as seen through B", () ->
                b().client().adminGet("/v1/replay/" + jobId).expect(200).json().path("status").asText().equals("done"));
        JsonNode done = b().client().adminGet("/v1/replay/" + jobId).expect(200).json();
        assertThat(done.path("result").isObject()).as("B reads the result: %s", done).isTrue();
        assertThat(c().client().adminGet("/v1/replay").expect(200).json().toString()).contains(jobId);
    }
}
