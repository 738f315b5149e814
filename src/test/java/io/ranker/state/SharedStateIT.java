package io.ranker.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's first acceptance check, written before the work: three replicas share one redis-server; a rule set
 * published through replica A is served by B and C within one second of A's acknowledgement. Today each replica
 * keeps its policies in its own data directory, so B and C keep serving the old version and this fails.
 */
@Disabled("issue 12: shared state store not built yet")
class SharedStateIT {
    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(3).redisStandalone().build();

    /** How late another replica may serve what one acknowledged (ARCHITECTURE.md, scale-out contract). */
    static final long PROPAGATION_MILLIS = 1_000;

    @Test
    void aPolicyPublishedOnAIsServedByBAndCWithinOneSecond() throws Exception {
        ServiceProcess a = cluster.replica(0);
        String shipped = Files.readString(cluster.projectDir().resolve("ranking-config/policies/search.yaml"));
        String changed = shipped.replace("    max: 2\n", "    max: 3\n");
        assertThat(changed).as("the test edits the shipped brand-variety cap").isNotEqualTo(shipped);
        String before = policyVersion(search(a));

        JsonNode published = a.client().publishPolicy("search", changed).expect(200).json();
        long acknowledged = System.nanoTime();
        String version = published.path("version").asText();
        assertThat(version).isNotEqualTo(before);
        assertThat(policyVersion(search(a))).as("%s serves what it acknowledged", a).isEqualTo(version);

        for (ServiceProcess other : List.of(cluster.replica(1), cluster.replica(2))) {
            long servedAfter = awaitPolicy(other, version, acknowledged);
            System.out.printf("SharedStateIT: %s served policy %s %d ms after %s acknowledged it%n", other, version, servedAfter, a);
        }
    }

    /**
     * Ranks on the replica until it serves {@code version}; the request that shows it must have been sent within
     * {@link #PROPAGATION_MILLIS} of the acknowledgement (a slow response does not count against the replica).
     *
     * @return milliseconds from the acknowledgement to the request that showed it
     */
    static long awaitPolicy(ServiceProcess replica, String version, long acknowledgedNanos) throws InterruptedException {
        String seen = null;
        while (true) {
            long sent = System.nanoTime();
            long millis = (sent - acknowledgedNanos) / 1_000_000;
            if (millis > PROPAGATION_MILLIS) {
                throw new AssertionError(replica + " still served policyVersion " + seen + " " + millis + " ms after the publication of "
                        + version + " was acknowledged (must be within " + PROPAGATION_MILLIS + " ms)");
            }
            seen = policyVersion(search(replica));
            if (version.equals(seen)) return millis;
            Thread.sleep(20);
        }
    }

    static JsonNode search(ServiceProcess replica) {
        return replica.client().rank("search", "u1", "running shoes", 5);
    }

    static String policyVersion(JsonNode rank) {
        return rank.path("policyVersion").asText();
    }
}
