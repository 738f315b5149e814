package io.ranker.scoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Scoring implementation settings ({@code ranking.scoring.*}, {@code RANKING_SCORING_...}). */
@ConfigMapping(prefix = "ranking.scoring")
public interface EvaluatorSettings {
    /** {@code java} (default): the Java tree evaluator where it covers the model; {@code xgboost}: xgboost4j always. */
    @WithDefault("java")
    ScoringEvaluator evaluator();
}
