package io.ranker.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/** Search traffic: one {@code POST /v1/rank} with surface "search" and a catalog query per arrival. */
public class SearchSimulation extends Simulation {
    {
        LoadSettings s = LoadSettings.fromSystemProperties();
        ScenarioBuilder search = scenario("search")
                .feed(RankerRequests.queries())
                .feed(RankerRequests.users(s))
                .exec(RankerRequests.rankSearch());
        setUp(RankerRequests.population(search, s)).assertions(RankerRequests.assertions(s));
    }
}
