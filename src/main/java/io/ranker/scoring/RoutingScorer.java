package io.ranker.scoring;

import io.ranker.core.Scorer;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;

import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link Scorer} of one surface: asks the {@link ModelRouter} which model serves this user (active,
 * canary or experiment arm), records the model version and arm in the context, scores all candidates in one
 * batched call, then scores the shadow models within their budget. When the surface has no model configured
 * it returns the retrieval scores (model version {@code none}), which keeps retrieval order. A model failure
 * throws {@link ModelScoringException}, so the pipeline falls back to retrieval order and names the model in
 * {@code degraded}; so does a routing that cannot be read at all ({@code model:routing-unavailable}), which is not
 * "no model".
 */
public final class RoutingScorer implements Scorer {
    public static final String NO_MODEL = "none";
    /** The version named while the routing cannot be read at all (responses say {@code model:routing-unavailable}). */
    public static final String UNAVAILABLE = "routing-unavailable";

    private final Supplier<ModelRouter> router;
    private final String surface;
    private final ShadowScoring shadows;

    public RoutingScorer(ModelRouter router, String surface, ShadowScoring shadows) {
        this(() -> router, surface, shadows);
    }

    /** For a router that is replaced at startup: the scorer always asks for the current one. */
    public RoutingScorer(Supplier<ModelRouter> router, String surface, ShadowScoring shadows) {
        this.router = router;
        this.surface = surface;
        this.shadows = shadows;
    }

    /** The surface's active version now (a request may be served by a canary or arm: see the context). */
    @Override
    public String version() {
        ModelRouter r = router.get();
        XgboostScorer active = r.active(surface);
        if (active != null) return active.version();
        return r.unavailable() != null ? UNAVAILABLE : NO_MODEL;
    }

    @Override
    public double[] score(RankingContext ctx, List<Candidate> candidates) {
        String userId = ctx != null && ctx.request() != null ? ctx.request().userId() : null;
        ModelRouter r = router.get();
        ModelRoute route = r.route(surface, userId);
        if (route == null && r.unavailable() != null) {
            throw new ModelScoringException(UNAVAILABLE, "model routing unavailable: " + r.unavailable(), null);
        }
        if (route == null) {
            if (ctx != null) ctx.version("model", NO_MODEL);
            double[] s = new double[candidates.size()];
            for (int i = 0; i < s.length; i++) s[i] = candidates.get(i).retrievalScore();
            return s;
        }
        if (ctx != null) {
            ctx.version("model", route.model().version());
            if (route.arm() != null) ctx.setExperimentArm(route.arm());
        }
        double[] scores = route.model().score(ctx, candidates);
        shadows.score(ctx, route.shadows(), candidates);
        return scores;
    }
}
