package io.ranker.state;

import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 6 with the single-node store: a service started on the checkout's own {@code ranking-config/}
 * (as from a fresh clone: the routing seed is {@code ranking-config/models.yaml}), which trains and promotes its demo
 * model, ranks, publishes a rule set, flips the kill switch and stops, leaves {@code git status} as it was.
 */
class CheckoutStaysCleanIT {
    static final String GIT_BEFORE = SharedStateIT.gitStatus();

    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(1)
            .env("RANKING_MODELS_FILE", "ranking-config/models.yaml") // the default, relative to the checkout
            .build();

    @Test
    void servingFromACheckoutNeverModifiesTrackedFiles() throws Exception {
        ServiceProcess r = cluster.replica(0);
        assertThat(StateChecks.modelVersion(r)).as("the demo model was trained and promoted").isNotEqualTo("none");
        String shipped = java.nio.file.Files.readString(cluster.projectDir().resolve("ranking-config/policies/search.yaml"));
        StateChecks.publish(r, StateChecks.searchRules(shipped, 4), null).expect(200);
        r.client().killSwitch(true).expect(200);
        r.stop(Duration.ofSeconds(30));
        assertThat(SharedStateIT.gitStatus()).as("git status after serving from the checkout").isEqualTo(GIT_BEFORE);
        // and the state it made lives on in its data directory
        r.restart(ServiceCluster.READY_TIMEOUT);
        assertThat(r.client().get("/v1/admin/exploration").expect(401).status()).isEqualTo(401);
        assertThat(r.client().send("GET", "/v1/admin/exploration", null, null, true).expect(200).json().path("killSwitch").asBoolean())
                .as("the kill switch survived the restart").isTrue();
    }
}
