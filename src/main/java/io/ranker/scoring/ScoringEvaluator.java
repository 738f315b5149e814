package io.ranker.scoring;

/**
 * Which implementation walks the trees when a model serves ({@code ranking.scoring.evaluator}). Either way
 * the model is validated structurally in Java before xgboost4j loads it, and xgboost4j stays the reference.
 */
public enum ScoringEvaluator {
    /**
     * The pure-Java evaluator ({@link io.ranker.scoring.forest.TreeEnsemble}), which equals xgboost's
     * predictions (checked on a probe batch at load) and is several times faster; models it does not cover
     * (categorical splits, gblinear, other objectives) are served by xgboost4j.
     */
    JAVA,
    /** xgboost4j's {@code inplace_predict} for every model. */
    XGBOOST
}
