package io.ranker.core;


import java.util.List;

/**
 * Fills every candidate's feature vector (schema order, NaN for missing) with one batched read of the
 * feature store for all candidates and the user. Must not throw for an unavailable store: it falls back
 * (cache, then NaN) and names the degradation in the context.
 */
public interface FeatureHydrator {
    void hydrate(RankingContext ctx, List<Candidate> candidates);

    /** As {@link #hydrate(RankingContext, List)} within the surface's feature budget (pipeline file, budgets.featuresMs). */
    default void hydrate(RankingContext ctx, List<Candidate> candidates, long budgetMillis) {
        hydrate(ctx, candidates);
    }

    /** Feature names in the order hydrated vectors use. */
    List<String> featureNames();
}
