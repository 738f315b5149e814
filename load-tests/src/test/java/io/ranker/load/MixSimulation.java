package io.ranker.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Production-like mix per arrival: 60% search, 40% feed; after a ranked list, 20% of arrivals click one of
 * the returned items and 3% also convert, posting {@code /v1/feedback} with the returned impressionId.
 * The rate is of arrivals (rank calls); feedback posts come on top.
 */
public class MixSimulation extends Simulation {
    {
        LoadSettings s = LoadSettings.fromSystemProperties();
        ScenarioBuilder mix = scenario("mix")
                .feed(RankerRequests.queries())
                .feed(RankerRequests.users(s))
                .exec(randomSwitch().on(
                        percent(60.0).then(RankerRequests.rankSearch()),
                        percent(40.0).then(RankerRequests.rankFeed())))
                .exec(randomSwitch().on(
                        percent(17.0).then(RankerRequests.feedback("click")),
                        percent(3.0).then(exec(RankerRequests.feedback("click")).exec(RankerRequests.feedback("conversion")))));
        setUp(RankerRequests.population(mix, s)).assertions(RankerRequests.assertions(s));
    }
}
