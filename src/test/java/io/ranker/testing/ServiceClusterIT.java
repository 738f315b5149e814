package io.ranker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Self-test of the multi-JVM harness: three service JVMs against one real redis-server, each ready on its own port
 * and data directory and ranking the search surface; {@code kill -9} of one and its restart on the same data
 * directory; redis-server paused (SIGSTOP) under every replica and resumed; and a replica that cannot start makes
 * the harness fail with that replica's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceClusterIT {
    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(3).redisStandalone().build();

    static JsonNode search(ServiceProcess replica, String user) {
        return replica.client().rank("search", user, "running shoes", 5);
    }

    @Test
    @Order(1)
    void everyReplicaIsReadyOnItsOwnPortAndDataDirectoryAndRanksTheSearchSurface() throws Exception {
        List<ServiceProcess> replicas = cluster.replicas();
        assertThat(replicas).hasSize(3);
        Set<Integer> ports = new HashSet<>();
        Set<Long> pids = new HashSet<>();
        for (ServiceProcess r : replicas) {
            System.out.printf("ServiceClusterIT: %s ready on port %d after %s%n", r.replicaId(), r.port(), r.lastStart());
            ports.add(r.port());
            pids.add(r.pid());
            assertThat(r.client().ready()).as("%s ready", r).isTrue();
            JsonNode rank = search(r, "u1");
            assertThat(RankerClient.itemIds(rank)).as("%s ranks search results", r).isNotEmpty();
            assertThat(rank.path("policyVersion").asText()).as("%s serves a policy", r).matches("[0-9a-f]{12}");
            assertThat(rank.path("modelVersion").asText()).as("%s serves a model", r).isNotBlank();
            assertThat(r.environment()).containsEntry("RANKING_REPLICA_ID", r.replicaId())
                    .containsEntry("QUARKUS_REDIS_HOSTS", cluster.redis().hosts());
            // its own data directory: the seeded index and its copy of the model it serves (the routing and the audit
            // trail live in the shared state store)
            assertThat(r.dataDir().resolve("index")).isDirectory();
            assertThat(r.dataDir().resolve("models").resolve(rank.path("modelVersion").asText()).resolve("manifest.json")).isRegularFile();
            assertThat(Files.readString(r.logFile())).contains("ranker ready: 200 items");
        }
        assertThat(ports).hasSize(3);
        assertThat(pids).hasSize(3);
        // the features live in the one shared redis-server (the demo seeds them there)
        assertThat(Long.parseLong(cluster.redis().cli("DBSIZE").trim())).isGreaterThan(200);
    }

    @Test
    @Order(2)
    void killMinus9OfOneReplicaAndItsRestartOnTheSameDataDirectory() throws Exception {
        ServiceProcess b = cluster.replica(1);
        String modelBefore = search(b, "u2").path("modelVersion").asText();
        long pid = b.pid();
        b.kill();
        assertThat(b.isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d gone", pid).isFalse();
        assertThat(b.client().ready()).as("nothing listens on %s after kill -9", b).isFalse();
        for (ServiceProcess other : List.of(cluster.replica(0), cluster.replica(2))) {
            assertThat(RankerClient.itemIds(search(other, "u2"))).as("%s unaffected", other).isNotEmpty();
        }

        b.restart(ServiceCluster.READY_TIMEOUT);
        System.out.printf("ServiceClusterIT: %s restarted on its data directory after %s%n", b.replicaId(), b.lastStart());
        assertThat(b.pid()).isNotEqualTo(pid);
        JsonNode after = search(b, "u2");
        assertThat(RankerClient.itemIds(after)).isNotEmpty();
        // the restart reused the data directory: the index was opened, not seeded again, and the model is the same
        String log = Files.readString(b.logFile());
        assertThat(count(log, "=== harness: start #")).isEqualTo(2);
        // The demo catalog is written once for the cluster (into the changelog, by whichever replica came first); the
        // restarted replica resumes from the position kept in its own index instead of re-reading or re-seeding it.
        String second = log.substring(log.indexOf("=== harness: start #2"));
        assertThat(second).as("the restart seeds nothing").doesNotContain("seeded the demo catalog").doesNotContain("wrote the demo catalog");
        assertThat(second).as("the restart resumes its index").contains("items in its index").doesNotContain("follows the changelog from its start");
        assertThat(after.path("modelVersion").asText()).isEqualTo(modelBefore);
    }

    @Test
    @Order(3)
    void pausedRedisDegradesFeaturesOnEveryReplicaAndTheyRecoverAfterResume() throws Exception {
        cluster.redis().pause();
        try {
            for (ServiceProcess r : cluster.replicas()) {
                long t0 = System.nanoTime();
                JsonNode rank = search(r, "u-paused");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(RankerClient.itemIds(rank)).as("%s serves with Redis paused", r).isNotEmpty();
                assertThat(texts(rank.path("degraded"))).as("%s names the features", r).anyMatch(d -> d.startsWith("features:"));
                assertThat(millis).as("%s answered in %d ms with Redis paused", r, millis).isLessThan(5_000);
            }
        } finally {
            cluster.redis().resume();
        }
        for (ServiceProcess r : cluster.replicas()) {
            List<String> degraded = List.of("not yet");
            for (long until = System.currentTimeMillis() + 30_000; !degraded.isEmpty() && System.currentTimeMillis() < until; ) {
                Thread.sleep(250);
                degraded = texts(search(r, "u5").path("degraded"));
            }
            assertThat(degraded).as("%s recovered after SIGCONT without a restart", r).isEmpty();
        }
    }

    @Test
    @Order(4)
    void aReplicaThatCannotStartFailsTheHarnessWithItsLog() {
        // the feature store set to redis with no Redis named: the service refuses to start, and says why
        ServiceCluster broken = ServiceCluster.builder().name("ServiceClusterIT-broken").replicas(1)
                .env("RANKING_FEATURES_STORE", "redis").build();
        long t0 = System.nanoTime();
        assertThatThrownBy(broken::start).isInstanceOf(AssertionError.class)
                .hasMessageContaining("r1 exited with status")
                .hasMessageContaining("needs quarkus.redis.hosts")
                .hasMessageContaining("replica.log");
        assertThat(broken.replica(0).isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("fails fast, not at the ready timeout").isLessThan(ServiceCluster.READY_TIMEOUT);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
