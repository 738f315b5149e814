package io.ranker.scoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** Scoring and model release settings ({@code ranking.models.*}, {@code RANKING_MODELS_...}). */
@ConfigMapping(prefix = "ranking.models")
public interface ScoringSettings {
    /**
     * The routing seed, default {@code <ranking.config-dir>/models.yaml}: surfaces it names that have no routing yet
     * are seeded from it at startup. It is never written; the live routing is in the state store.
     */
    Optional<String> file();

    /** Single node: how often {@code <data-dir>/models/routing.yaml} is checked for hand edits (a Quarkus duration). */
    @WithName("poll-interval")
    @WithDefault("2s")
    String pollInterval();

    /** Shadow models only score when they can finish within this many ms of the request's start. */
    @WithName("shadow-deadline-ms")
    @WithDefault("50")
    long shadowDeadlineMs();

    /** Boosting rounds (trees) of the demo model trained at first start; the load tests' reference workload uses 300. */
    @WithName("demo-rounds")
    @WithDefault("100")
    int demoRounds();

    /**
     * Simulated demo requests the demo model is trained on at first start: enough clicks for a model that beats
     * retrieval order. Multi-replica tests lower it, since the training dominates a fresh replica's start.
     */
    @WithName("demo-requests")
    @WithDefault("3000")
    int demoRequests();
}
