package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.ranker.config.RankingSettings;
import io.ranker.explore.ExplorationControl;
import io.ranker.explore.ExplorerConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ExplorationResourceTest {
    @Inject
    ExplorationControl control;

    @Test
    void killSwitchStopsExplorationOnEverySurface() {
        control.configure("feed", ExplorerConfig.defaults("plackett-luce"));
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"engaged\": true}")
                .when().put("/v1/admin/exploration/kill-switch")
                .then().statusCode(200).body("killSwitch", equalTo(true))
                .body("surfaces.feed.explorer", equalTo("none(kill-switch)"));
        assertThat(control.surface("feed").orElseThrow().name()).isEqualTo("none(kill-switch)");
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"engaged\": false}")
                .when().put("/v1/admin/exploration/kill-switch").then().statusCode(200).body("killSwitch", equalTo(false));
        given().header("Authorization", "Bearer test-admin-token").when().get("/v1/admin/exploration")
                .then().statusCode(200).body("surfaces.feed.config.type", equalTo("plackett-luce"));
    }

    /** Caller mistakes are ProblemExceptions (rendered as problem+json by the service's exception mapper). */
    @Test
    void callerMistakesAreProblems() {
        RankingSettings settings = new RankingSettings() {
            public String dataDir() { return "data"; }
            public String configDir() { return "ranking-config"; }
            public Admin admin() { return () -> Optional.of("secret"); }
            public Optional<String> replicaId() { return Optional.empty(); }
        };
        var resource = new ExplorationResource(new ExplorationControl(), new AdminGuard(settings));
        var noToken = catchThrowableOfType(ProblemException.class,
                () -> resource.killSwitch(null, new ExplorationResource.KillSwitchRequest(true)));
        assertThat(noToken.status()).isEqualTo(401);
        var noBody = catchThrowableOfType(ProblemException.class,
                () -> resource.killSwitch("Bearer secret", new ExplorationResource.KillSwitchRequest(null)));
        assertThat(noBody.status()).isEqualTo(400);
    }
}
