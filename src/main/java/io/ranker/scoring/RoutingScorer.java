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
 * "no model". The pipeline asks {@link #forRequest} for the routed model, so that it knows the version that
 * scores the request before it scores.
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

    /**
     * The model that serves this request (active, canary or experiment arm), with the user's arm recorded in the
     * context; null when the surface has no model (retrieval order). Its {@link Scorer#version()} is that model's,
     * so the response, the log and a failure's {@code degraded} entry name what actually scored the request.
     */
    public Scorer forRequest(RankingContext ctx) {
        try {
            return routed(ctx);
        } catch (ModelScoringException unavailable) {
            // Routing cannot be read: a scorer that fails, so the pipeline keeps retrieval order and says why.
            return new Scorer() {
                @Override
                public String version() {
                    return UNAVAILABLE;
                }

                @Override
                public double[] score(RankingContext c, List<Candidate> candidates) {
                    throw unavailable;
                }
            };
        }
    }

    private Routed routed(RankingContext ctx) {
        String userId = ctx != null && ctx.request() != null ? ctx.request().userId() : null;
        ModelRouter r = router.get();
        ModelRoute route = r.route(surface, userId);
        if (route == null && r.unavailable() != null) {
            throw new ModelScoringException(UNAVAILABLE, "model routing unavailable: " + r.unavailable(), null);
        }
        if (route == null) return null;
        if (ctx != null && route.arm() != null) ctx.setExperimentArm(route.arm());
        return new Routed(route, shadows);
    }

    @Override
    public double[] score(RankingContext ctx, List<Candidate> candidates) {
        Routed routed = routed(ctx);
        if (routed == null) {
            if (ctx != null) ctx.setModelVersion(NO_MODEL);
            double[] s = new double[candidates.size()];
            for (int i = 0; i < s.length; i++) s[i] = candidates.get(i).retrievalScore();
            return s;
        }
        if (ctx != null) ctx.setModelVersion(routed.version());
        return routed.score(ctx, candidates);
    }

    /** One request's route: its model's scores are served, the shadows' are recorded alongside. */
    private record Routed(ModelRoute route, ShadowScoring shadows) implements Scorer {
        @Override
        public String version() {
            return route.model().version();
        }

        @Override
        public double[] score(RankingContext ctx, List<Candidate> candidates) {
            double[] scores = route.model().score(ctx, candidates);
            shadows.score(ctx, route.shadows(), candidates);
            return scores;
        }
    }
}
