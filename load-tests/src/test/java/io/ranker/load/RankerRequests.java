package io.ranker.load;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** The requests the scenarios are made of, and the HTTP protocol they share. */
final class RankerRequests {
    private static final String[] DEVICES = {"mobile", "desktop", "tablet"};

    private RankerRequests() {
    }

    static HttpProtocolBuilder protocol(LoadSettings s) {
        return http.baseUrl(s.baseUrl)
                .contentTypeHeader("application/json")
                .acceptHeader("application/json")
                // Callers are backends with connection pools, not browsers: reuse connections across virtual users.
                .shareConnections()
                // Gatling's warm-up request goes to an external site by default; keep every byte on loopback.
                .disableWarmUp();
    }

    /** Query terms a shopper would type, built from the demo catalog's category nouns, adjectives and brands. */
    static FeederBuilder<String> queries() {
        return csv("queries.csv").random();
    }

    /** userId: a known demo user (u0..), or with probability coldUserShare an unknown one (cold start). */
    static Iterator<Map<String, Object>> users(LoadSettings s) {
        return Stream.generate(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String user = r.nextDouble() < s.coldUserShare ? "new-" + r.nextInt(1_000_000) : "u" + r.nextInt(s.users);
            return Map.<String, Object>of("userId", user, "device", DEVICES[r.nextInt(DEVICES.length)]);
        }).iterator();
    }

    static ChainBuilder rankSearch() {
        return exec(http("rank search").post("/v1/rank")
                .body(StringBody("{\"surface\":\"search\",\"userId\":\"#{userId}\",\"query\":\"#{query}\",\"limit\":10}"))
                .check(status().is(200))
                .check(jsonPath("$.impressionId").saveAs("impressionId"))
                .check(jsonPath("$.items[*].id").findRandom().optional().saveAs("itemId")));
    }

    static ChainBuilder rankFeed() {
        return exec(http("rank feed").post("/v1/rank")
                .body(StringBody("{\"surface\":\"feed\",\"userId\":\"#{userId}\",\"context\":{\"device\":\"#{device}\"},\"limit\":20}"))
                .check(status().is(200))
                .check(jsonPath("$.impressionId").saveAs("impressionId"))
                .check(jsonPath("$.items[*].id").findRandom().optional().saveAs("itemId")));
    }

    /** Feedback on one of the items the preceding rank call returned (skipped when it returned none). */
    static ChainBuilder feedback(String type) {
        return exec(session -> session.set("feedbackType", type))
                .doIf(session -> session.contains("itemId")).then(
                        exec(http("feedback " + type).post("/v1/feedback")
                                .body(StringBody("{\"impressionId\":\"#{impressionId}\",\"itemId\":\"#{itemId}\",\"type\":\"#{feedbackType}\"}"))
                                .check(status().is(202))));
    }

    /** Open workload model: arrivals at a fixed rate for a bounded time, independent of response times. */
    static OpenInjectionStep arrivals(LoadSettings s) {
        var constant = constantUsersPerSec(s.rate).during(s.duration);
        return s.poisson ? constant.randomized() : constant;
    }

    /** The scenario injected at the run's arrival rate, with the shared protocol. */
    static PopulationBuilder population(ScenarioBuilder scenario, LoadSettings s) {
        return scenario.injectOpen(arrivals(s)).protocols(protocol(s));
    }

    /** Optional pass/fail criteria ({@code -Dp99ms=15}): global p99 and under 1% failed requests. */
    static List<Assertion> assertions(LoadSettings s) {
        if (s.p99Millis <= 0) {
            return List.of();
        }
        return List.of(global().responseTime().percentile(99.0).lte(s.p99Millis),
                global().failedRequests().percent().lt(1.0));
    }
}
