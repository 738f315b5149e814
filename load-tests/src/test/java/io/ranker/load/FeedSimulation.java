package io.ranker.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/** Feed traffic: one {@code POST /v1/rank} with surface "feed", a user and a device context per arrival. */
public class FeedSimulation extends Simulation {
    {
        LoadSettings s = LoadSettings.fromSystemProperties();
        ScenarioBuilder feed = scenario("feed")
                .feed(RankerRequests.users(s))
                .exec(RankerRequests.rankFeed());
        setUp(RankerRequests.population(feed, s)).assertions(RankerRequests.assertions(s));
    }
}
