package io.ranker.pipeline;

import io.ranker.core.RankResult;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.core.RankRequest;
import io.ranker.core.Exploration;
import io.ranker.explore.SeedDerivation;
import io.ranker.core.FeatureHydrator;
import io.ranker.logging.ImpressionLog;
import io.ranker.core.PolicyStage;
import io.ranker.core.Scorer;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one orchestrator: calls the stages of a surface in order, times each, and applies each stage's
 * declared fallback (ARCHITECTURE.md):
 * <ol>
 *   <li>retrieve: failed sources are skipped, fallback sources fill in;</li>
 *   <li>features: the hydrator never throws; unavailable features are NaN and named in degraded;</li>
 *   <li>score: a failing model leaves the retrieval order, named in degraded;</li>
 *   <li>policy: always applies (business guarantees), never skipped;</li>
 *   <li>explore: chooses the shown list and its propensities;</li>
 *   <li>log: durable append before the response; a failure is named in degraded, never fails the request.</li>
 * </ol>
 */
public final class RankingPipeline {
    /** Picks the model for a request (active, canary or experiment arm); null when the surface has no model. */
    public interface ScorerRouter {
        Scorer route(RankingContext ctx);
    }

    private final Surfaces surfaces;
    private final FeatureHydrator hydrator;
    private final ScorerRouter scorers;
    private final Function<String, PolicyStage> policies;
    private final ImpressionLog log;
    private final ImpressionRecordBuilder records;
    private final StageMetrics metrics;
    private final Supplier<String> impressionIds;

    public RankingPipeline(Surfaces surfaces, FeatureHydrator hydrator, ScorerRouter scorers,
                           Function<String, PolicyStage> policies, ImpressionLog log,
                           ImpressionRecordBuilder records, StageMetrics metrics) {
        this(surfaces, hydrator, scorers, policies, log, records, metrics, ImpressionIds::next);
    }

    /** @param impressionIds makes the id of each served list (the service signs them; simulations need not) */
    public RankingPipeline(Surfaces surfaces, FeatureHydrator hydrator, ScorerRouter scorers,
                           Function<String, PolicyStage> policies, ImpressionLog log,
                           ImpressionRecordBuilder records, StageMetrics metrics, Supplier<String> impressionIds) {
        this.impressionIds = impressionIds;
        this.surfaces = surfaces;
        this.hydrator = hydrator;
        this.scorers = scorers;
        this.policies = policies;
        this.log = log;
        this.records = records;
        this.metrics = metrics;
    }

    public Surfaces surfaces() {
        return surfaces;
    }

    /** Serves one request: every stage, then the durable log append. */
    public RankResult rank(RankRequest request) {
        String impressionId = impressionIds.get();
        return rank(request, impressionId, SeedDerivation.seedFor(impressionId), true);
    }

    /**
     * @param logIt false for previews and dry runs, which must not pollute the impression log
     */
    public RankResult rank(RankRequest request, String impressionId, long seed, boolean logIt) {
        Surface surface = surfaces.require(request.surface());
        RankingContext ctx = new RankingContext(request, impressionId, seed);
        ScoredCandidates scored = retrieveAndScore(surface, ctx);
        String name = surface.name();

        long t = System.nanoTime();
        PolicyStage policy = policies.apply(name);
        ctx.version("policy", policy.version());
        PolicyStage.PolicyOutcome outcome = policy.apply(ctx, scored.candidates());
        t = stage(ctx, name, "policy", t);

        ctx.version("explorer", surface.explorer().name());
        // previews and dry runs (logIt false) must not count towards the exposure window
        Exploration shown = logIt
                ? surface.explorer().explore(outcome.ranked(), outcome.placement(), request.limit(), seed)
                : surface.explorer().preview(outcome.ranked(), outcome.placement(), request.limit(), seed);
        t = stage(ctx, name, "explore", t);

        RankResult result = new RankResult(ctx, shown, outcome.removed(), hydrator.featureNames(), scored.candidates().size());
        if (logIt && !log.append(records.build(result, scored.candidates()))) {
            ctx.degrade("log:unavailable");
        }
        stage(ctx, name, "logging", t);
        metrics.record(name, "total", System.nanoTime() - ctx.startNanos());
        metrics.totalBudget(name, surface.config().budgets().totalMs());
        for (String d : ctx.degraded()) metrics.degraded(name, d);
        return result;
    }

    /** The candidates of a request after retrieval, features and scoring, before policy (for policy previews). */
    public record ScoredCandidates(RankingContext context, List<Candidate> candidates) {
    }

    public ScoredCandidates retrieveAndScore(RankRequest request) {
        String impressionId = ImpressionIds.next();
        return retrieveAndScore(surfaces.require(request.surface()), new RankingContext(request, impressionId, SeedDerivation.seedFor(impressionId)));
    }

    private ScoredCandidates retrieveAndScore(Surface surface, RankingContext ctx) {
        String name = surface.name();
        ctx.version("pipeline", surface.config().version());
        long t = System.nanoTime();
        List<Candidate> candidates = surface.retriever().retrieve(ctx, (source, n) -> metrics.candidates(name, source, n));
        t = stage(ctx, name, "retrieval", t);

        try {
            hydrator.hydrate(ctx, candidates, surface.config().budgets().featuresMs());
        } catch (RuntimeException e) {
            // The hydrator's contract is not to throw; if it does anyway, the model still scores on NaN.
            ctx.degrade("features:error");
        }
        t = stage(ctx, name, "features", t);

        Scorer scorer = candidates.isEmpty() ? null : scorers.route(ctx);
        if (scorer == null) {
            ctx.versions().putIfAbsent("model", "none");
        } else {
            ctx.version("model", scorer.version());
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
                ctx.degrade("model:" + scorer.version());
                for (Candidate c : candidates) c.setScore(c.retrievalScore());
            }
        }
        demoteFallbackOnly(surface, candidates);
        stage(ctx, name, "scoring", t);
        return new ScoredCandidates(ctx, candidates);
    }

    /**
     * A fallback source fills a list the primaries left short; it does not compete with them. The model never
     * learns that (a popular item can outscore a weak text match), so candidates found only by fallback sources
     * are moved below every primary candidate, keeping their own order.
     */
    static void demoteFallbackOnly(Surface surface, List<Candidate> candidates) {
        java.util.Set<String> fallbacks = surface.fallbackSources();
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

    private long stage(RankingContext ctx, String surface, String stage, long since) {
        long now = System.nanoTime();
        ctx.recordStage(stage, now - since);
        metrics.record(surface, stage, now - since);
        return now;
    }
}
