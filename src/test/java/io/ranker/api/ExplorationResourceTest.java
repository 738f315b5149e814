package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.ranker.explore.ExplorationControl;
import io.ranker.explore.ExplorerConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;


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
        var resource = new ExplorationResource(new ExplorationControl(), new CurrentCaller());
        var noBody = catchThrowableOfType(ProblemException.class,
                () -> resource.killSwitch(new ExplorationResource.KillSwitchRequest(null)));
        assertThat(noBody.status()).isEqualTo(400);
        given().contentType("application/json").body("{\"engaged\": true}")
                .when().put("/v1/admin/exploration/kill-switch").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").when().get("/v1/admin/exploration").then().statusCode(401);
        // a switch takes a JSON boolean only: -1 and "true" once engaged the kill switch (found by OpenApiFuzzTest)
        for (String engaged : java.util.List.of("-1", "1", "\"true\"", "\"\"")) {
            given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                    .body("{\"engaged\": " + engaged + "}").when().put("/v1/admin/exploration/kill-switch")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        }
        given().header("Authorization", "Bearer test-admin-token").when().get("/v1/admin/exploration")
                .then().statusCode(200).body("killSwitch", equalTo(false));
    }
}
