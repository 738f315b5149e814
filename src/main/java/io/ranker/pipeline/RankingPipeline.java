package io.ranker.pipeline;

import io.ranker.core.Candidate;
import io.ranker.core.Exploration;
import io.ranker.core.Explorer;
import io.ranker.core.FeatureHydrator;
import io.ranker.core.PolicyStage;
import io.ranker.core.RankRequest;
import io.ranker.core.RankResult;
import io.ranker.core.RankingContext;
import io.ranker.core.Scorer;
import io.ranker.explore.NoExplorer;
import io.ranker.explore.SeedDerivation;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one orchestrator: calls the stages of a surface in order, times each, and applies each stage's declared
 * fallback (ARCHITECTURE.md). The service, the simulator, the demo training, policy previews, replay and dry runs
 * all rank through an instance of this class, built once with {@link #builder()}:
 * <ol>
 *   <li>retrieve: failed sources are skipped, fallback sources fill in;</li>
 *   <li>features: the hydrator never throws; unavailable features are NaN and named in degraded;</li>
 *   <li>score: a failing model leaves the retrieval order and is named in degraded ({@code model:<version>} of the
 *       model routed to this request: active, canary or experiment arm); candidates only a fallback source found
 *       are placed after every primary one;</li>
 *   <li>policy: always applies (business guarantees), never skipped;</li>
 *   <li>explore: chooses the shown list and its propensities;</li>
 *   <li>side effects, in their order (the service's: log append, real-time counters, seen history): for served
 *       requests only, and never failing the request ({@link SideEffect}).</li>
 * </ol>
 * Replay enters after retrieval and features ({@link #rankCandidates(RankingContext, List, Stages, Mode)}) with the
 * logged candidate set and the logged stages, so it scores, falls back, applies the policy and explores with this
 * same code.
 */
public final class RankingPipeline {
    private static final Logger LOG = Logger.getLogger(RankingPipeline.class);
    public static final String NO_MODEL = "none";

    /** Picks the model that serves a request (active, canary or experiment arm); null: no model, retrieval order. */
    @FunctionalInterface
    public interface ScorerRouter {
        Scorer route(RankingContext ctx);
    }

    /** Picks the rule set a request is ranked with (the surface's live one, or {@link PolicyStage#NONE}). */
    @FunctionalInterface
    public interface PolicyRouter {
        PolicyStage route(RankingContext ctx);
    }

    /** Picks the explorer of a request; without one the pipeline uses its surface's. */
    @FunctionalInterface
    public interface ExplorerRouter {
        Explorer route(RankingContext ctx);
    }

    /** Whether the list is shown to anyone. */
    public enum Mode {
        /** A served request: the explorer counts its exposure, the side effects run. */
        SERVE,
        /** A preview, dry run, replay or truth computation: nobody sees it, so no side effect, no exposure counted. */
        PREVIEW
    }

    /**
     * The stages that rank one request's candidates: what the routers pick for a live request, what the log says
     * for a replayed one.
     *
     * @param scorer          null: no model (retrieval order, model version {@code none})
     * @param explorer        null: no exploration
     * @param fallbackSources sources that only fill a short list: candidates found by these alone are demoted
     * @param notExplorable   null: the explorer decides (its exposure cap); a set: these ids may only be shown where
     *                        the deterministic list has them (replay passes the logged set)
     */
    public record Stages(Scorer scorer, PolicyStage policy, Explorer explorer, Set<String> fallbackSources,
                         Set<String> notExplorable) {
        public Stages {
            fallbackSources = fallbackSources == null ? Set.of() : fallbackSources;
        }
    }

    /** The candidates of a request after retrieval, features and scoring, before policy (policy previews, demo training). */
    public record ScoredCandidates(RankingContext context, List<Candidate> candidates) {
    }

    private final Surfaces surfaces;
    private final FeatureHydrator hydrator;
    private final List<String> featureNames;
    private final ScorerRouter scorers;
    private final PolicyRouter policies;
    private final ExplorerRouter explorers;
    private final List<SideEffect> sideEffects;
    private final StageMetrics metrics;
    private final PipelineTracer tracer;
    private final AtomicLong sideEffectFailures = new AtomicLong();
    private final Supplier<String> impressionIds;

    private RankingPipeline(Builder b) {
        this.surfaces = b.surfaces;
        this.hydrator = b.hydrator;
        this.featureNames = b.hydrator != null ? b.hydrator.featureNames() : List.copyOf(b.featureNames);
        this.scorers = b.scorers;
        this.policies = b.policies;
        this.explorers = b.explorers;
        this.sideEffects = List.copyOf(b.sideEffects);
        this.metrics = b.metrics;
        this.tracer = b.tracer;
        this.impressionIds = b.impressionIds;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Surfaces surfaces() {
        return surfaces;
    }

    /** The side effects served requests run, in order. */
    public List<SideEffect> sideEffects() {
        return sideEffects;
    }

    /** Serves one request: every stage, then the side effects. */
    public RankResult rank(RankRequest request) {
        String impressionId = impressionIds.get();
        return rank(request, impressionId, SeedDerivation.seedFor(impressionId), Mode.SERVE);
    }

    /** Every stage from retrieval on, with a given impression id and seed (the simulator, reproducible runs). */
    public RankResult rank(RankRequest request, String impressionId, long seed, Mode mode) {
        Surface surface = retrievalSurface(request);
        RankingContext ctx = new RankingContext(request, impressionId, seed);
        PipelineTracer.RequestTrace trace = tracer.begin(ctx);
        try {
            List<Candidate> candidates = retrieveAndHydrate(surface, ctx, trace);
            return rankCandidates(ctx, candidates, stagesFor(ctx, surface, candidates), mode, trace);
        } finally {
            trace.end();
        }
    }

    /** Retrieval, features and scoring with the live stages, no policy, no exploration, no side effect. */
    public ScoredCandidates retrieveAndScore(RankRequest request) {
        Surface surface = retrievalSurface(request);
        String impressionId = ImpressionIds.next();
        RankingContext ctx = new RankingContext(request, impressionId, SeedDerivation.seedFor(impressionId));
        PipelineTracer.RequestTrace trace = tracer.begin(ctx);
        try {
            List<Candidate> candidates = retrieveAndHydrate(surface, ctx, trace);
            long t = System.nanoTime();
            score(ctx, candidates, stagesFor(ctx, surface, candidates));
            stage(ctx, surface.name(), "scoring", t, trace);
            return new ScoredCandidates(ctx, candidates);
        } finally {
            trace.end();
        }
    }

    /** Ranks candidates retrieved and hydrated elsewhere, with the stages the routers pick for the request. */
    public RankResult rankCandidates(RankingContext ctx, List<Candidate> candidates, Mode mode) {
        Surface surface = surfaces == null ? null : surfaces.get(ctx.request().surface());
        PipelineTracer.RequestTrace trace = tracer.begin(ctx);
        try {
            return rankCandidates(ctx, candidates, stagesFor(ctx, surface, candidates), mode, trace);
        } finally {
            trace.end();
        }
    }

    /**
     * The part every caller shares, from given (retrieved, hydrated) candidates: score them (a failing model leaves
     * the retrieval order), demote fallback-only candidates, apply the policy, explore, and for a served request run
     * the side effects.
     */
    public RankResult rankCandidates(RankingContext ctx, List<Candidate> candidates, Stages stages, Mode mode) {
        return rankCandidates(ctx, candidates, stages, mode, PipelineTracer.RequestTrace.NONE);
    }

    private RankResult rankCandidates(RankingContext ctx, List<Candidate> candidates, Stages stages, Mode mode,
                                      PipelineTracer.RequestTrace trace) {
        String name = ctx.request().surface();
        long t = System.nanoTime();
        score(ctx, candidates, stages);
        t = stage(ctx, name, "scoring", t, trace);

        PolicyStage policy = stages.policy();
        ctx.setPolicyVersion(policy.version());
        PolicyStage.PolicyOutcome outcome = policy.apply(ctx, candidates);
        t = stage(ctx, name, "policy", t, trace);

        Exploration shown = explore(ctx, outcome, stages, mode);
        t = stage(ctx, name, "explore", t, trace);

        RankResult result = new RankResult(ctx, candidates, outcome, shown, featureNames, policy.attributes());
        if (mode == Mode.SERVE) {
            for (SideEffect effect : sideEffects) {
                run(effect, result, name);
                t = stage(ctx, name, effect.name(), t, trace);
            }
        }
        metrics.record(name, "total", System.nanoTime() - ctx.startNanos());
        // The budget gauge is the served surface's; replay and previews rank without surfaces and record nothing.
        Surface served = surfaces == null ? null : surfaces.get(name);
        if (served != null) metrics.totalBudget(name, served.config().budgets().totalMs());
        for (String d : ctx.degraded()) metrics.degraded(name, d);
        return result;
    }

    private Surface retrievalSurface(RankRequest request) {
        if (surfaces == null) {
            throw new IllegalStateException("this pipeline has no retrieval (no surfaces): it ranks given candidates only");
        }
        return surfaces.require(request.surface());
    }

    private List<Candidate> retrieveAndHydrate(Surface surface, RankingContext ctx, PipelineTracer.RequestTrace trace) {
        String name = surface.name();
        ctx.setPipelineVersion(surface.config().version());
        long t = System.nanoTime();
        List<Candidate> candidates = surface.retriever().retrieve(ctx, (source, n) -> {
            metrics.candidates(name, source, n);
            trace.candidates(source, n);
        });
        t = stage(ctx, name, "retrieval", t, trace);
        try {
            hydrator.hydrate(ctx, candidates, surface.config().budgets().featuresMs());
        } catch (RuntimeException e) {
            // The hydrator's contract is not to throw; if it does anyway, the model still scores on NaN.
            ctx.degrade("features:error");
        }
        stage(ctx, name, "features", t, trace);
        return candidates;
    }

    /** The live stages of a request: routed model (none for an empty list), policy, explorer, the surface's fallbacks. */
    private Stages stagesFor(RankingContext ctx, Surface surface, List<Candidate> candidates) {
        if (policies == null || scorers == null) {
            throw new IllegalStateException("this pipeline has no routers: rank it with explicit stages");
        }
        Explorer explorer = explorers != null ? explorers.route(ctx) : surface != null ? surface.explorer() : null;
        return new Stages(candidates.isEmpty() ? null : scorers.route(ctx), policies.route(ctx), explorer,
                surface == null ? Set.of() : surface.fallbackSources(), null);
    }

    private static void score(RankingContext ctx, List<Candidate> candidates, Stages stages) {
        Scorer scorer = candidates.isEmpty() ? null : stages.scorer();
        if (scorer == null) {
            ctx.setModelVersion(NO_MODEL);
        } else {
            String version = scorer.version();
            ctx.setModelVersion(version);
            try {
                double[] scores = scorer.score(ctx, candidates);
                if (scores.length != candidates.size()) {
                    throw new IllegalStateException("scorer returned " + scores.length + " scores for " + candidates.size() + " candidates");
                }
                for (int i = 0; i < scores.length; i++) {
                    Candidate c = candidates.get(i);
                    c.setModelScore(scores[i]);
                    c.setScore(Double.isFinite(scores[i]) ? scores[i] : c.retrievalScore());
                }
            } catch (Exception e) {
                ctx.degrade("model:" + version);
                for (Candidate c : candidates) {
                    c.setModelScore(Double.NaN);
                    c.setScore(c.retrievalScore());
                }
            }
        }
        demoteFallbackOnly(stages.fallbackSources(), candidates);
    }

    private static Exploration explore(RankingContext ctx, PolicyStage.PolicyOutcome outcome, Stages stages, Mode mode) {
        Explorer explorer = stages.explorer() != null ? stages.explorer() : NoExplorer.INSTANCE;
        int limit = ctx.request().limit();
        Set<String> kept = stages.notExplorable();
        Exploration shown;
        if (kept != null) {
            shown = explorer.explore(outcome.ranked(), outcome.placement(), limit, ctx.seed(), kept).withNotExplorable(kept);
        } else if (mode == Mode.SERVE) {
            shown = explorer.explore(outcome.ranked(), outcome.placement(), limit, ctx.seed());
        } else {
            shown = explorer.preview(outcome.ranked(), outcome.placement(), limit, ctx.seed());
        }
        // An explorer whose configuration can change between requests names itself in its decision.
        if (shown.explorer() == null) shown = shown.withExplorer(explorer.name());
        ctx.setExplorer(shown.explorer());
        return shown;
    }

    private void run(SideEffect effect, RankResult result, String surface) {
        boolean ok;
        try {
            ok = effect.apply(result);
        } catch (Exception e) {
            ok = false;
            if (sideEffectFailures.incrementAndGet() % 1000 == 1) {
                LOG.warnf(e, "side effect %s failed (%d failures so far); the request was served", effect.name(), sideEffectFailures.get());
            }
        }
        if (!ok) {
            metrics.sideEffectFailed(surface, effect.name());
            if (effect.degradation() != null) result.context().degrade(effect.degradation());
        }
    }

    /**
     * A fallback source fills a list the primaries left short; it does not compete with them. The model never
     * learns that (a popular item can outscore a weak text match), so candidates found only by fallback sources
     * are moved below every primary candidate, keeping their own order.
     */
    static void demoteFallbackOnly(Set<String> fallbacks, List<Candidate> candidates) {
        if (fallbacks.isEmpty()) return;
        double floor = Double.POSITIVE_INFINITY, top = Double.NEGATIVE_INFINITY;
        boolean anyFallbackOnly = false;
        for (Candidate c : candidates) {
            if (fallbacks.containsAll(c.hits().keySet())) {
                anyFallbackOnly = true;
                top = Math.max(top, c.score());
            } else {
                floor = Math.min(floor, c.score());
            }
        }
        if (!anyFallbackOnly || floor == Double.POSITIVE_INFINITY) return;
        for (Candidate c : candidates) {
            if (fallbacks.containsAll(c.hits().keySet()) && c.score() >= floor) c.setScore(floor - 1 - (top - c.score()));
        }
    }

    private long stage(RankingContext ctx, String surface, String stage, long since, PipelineTracer.RequestTrace trace) {
        long now = System.nanoTime();
        ctx.recordStage(stage, now - since);
        metrics.record(surface, stage, now - since);
        trace.stage(stage, since, now);
        return now;
    }

    /**
     * The pipeline's configuration, typed and checked once (Vespa style): a pipeline with retrieval needs its
     * surfaces, a hydrator and both routers; one that only ranks given candidates (replay) may have none of them and
     * is given its stages per call. Side effects run in the order they are added.
     */
    public static final class Builder {
        private Surfaces surfaces;
        private FeatureHydrator hydrator;
        private List<String> featureNames = List.of();
        private ScorerRouter scorers;
        private PolicyRouter policies;
        private ExplorerRouter explorers;
        private final List<SideEffect> sideEffects = new ArrayList<>();
        private StageMetrics metrics = StageMetrics.NONE;
        private PipelineTracer tracer = PipelineTracer.NONE;
        private Supplier<String> impressionIds = ImpressionIds::next;

        private Builder() {
        }

        /** The live surfaces: retrieval, explorer and fallback sources of each. */
        public Builder surfaces(Surfaces surfaces) {
            this.surfaces = surfaces;
            return this;
        }

        public Builder hydrator(FeatureHydrator hydrator) {
            this.hydrator = hydrator;
            return this;
        }

        /** Names of the given candidates' feature values, for a pipeline without a hydrator (logged and explained). */
        public Builder featureNames(List<String> names) {
            this.featureNames = List.copyOf(names);
            return this;
        }

        public Builder scorers(ScorerRouter scorers) {
            this.scorers = scorers;
            return this;
        }

        public Builder policies(PolicyRouter policies) {
            this.policies = policies;
            return this;
        }

        /** Optional: picks the explorer per request instead of the surface's. */
        public Builder explorers(ExplorerRouter explorers) {
            this.explorers = explorers;
            return this;
        }

        /** Appends a side effect: served requests run them in the order added. */
        public Builder sideEffect(SideEffect effect) {
            this.sideEffects.add(java.util.Objects.requireNonNull(effect, "side effect"));
            return this;
        }

        public Builder metrics(StageMetrics metrics) {
            this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Optional: spans per request and stage ({@link PipelineTracer#NONE} by default). */
        public Builder tracer(PipelineTracer tracer) {
            this.tracer = java.util.Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /** Makes the id of each served list (the service signs them, so feedback can be verified; simulations need not). */
        public Builder impressionIds(Supplier<String> ids) {
            this.impressionIds = java.util.Objects.requireNonNull(ids, "impression ids");
            return this;
        }

        public RankingPipeline build() {
            if ((surfaces == null) != (hydrator == null)) {
                throw new IllegalStateException("retrieval needs both surfaces and a hydrator");
            }
            if (surfaces != null && (scorers == null || policies == null)) {
                throw new IllegalStateException("a pipeline with retrieval needs a scorer router and a policy router");
            }
            if ((scorers == null) != (policies == null)) {
                throw new IllegalStateException("give both routers (scorers and policies) or neither");
            }
            return new RankingPipeline(this);
        }
    }
}
