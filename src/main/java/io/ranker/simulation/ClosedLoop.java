package io.ranker.simulation;

import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.PolicyPropensities;
import io.ranker.explore.PositionMarginals;
import io.ranker.logging.FeedbackEvent;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankResult;
import io.ranker.core.Scorer;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives simulated users through the assembled pipeline against the known click model: serves a request, draws
 * the clicks of the shown list (independent per slot: P(click) = examination(position) x relevance), posts them as
 * feedback to the impression log, and computes the true value of any model and explorer by running it on-policy
 * over every simulated user (expected clicks per shown slot from the known click probabilities: exact, no
 * sampling noise).
 */
public final class ClosedLoop {
    private final PipelineAssembly sim;
    private final ClickModel truth;
    private final int limit;

    /** One served request: the logged result and what the explorer was handed (policy order, placement). */
    public record Served(String impressionId, String userId, RankResult result, TapExplorer.Call call) {
        public List<Candidate> shown() {
            return result.exploration().shown();
        }
    }

    /** Reward per shown slot of a policy over the simulated users (each user equally likely). */
    public record TrueValue(double value, long slots, int users) {
    }

    public ClosedLoop(PipelineAssembly sim, ClickModel truth, int limit) {
        this.sim = sim;
        this.truth = truth;
        this.limit = limit;
    }

    public ClickModel truth() { return truth; }

    public int limit() { return limit; }

    public PipelineAssembly assembly() { return sim; }

    /**
     * Serves one request for {@code userId} with the current scorer and explorer.
     *
     * @param log true: a served request (logged, side effects run); false: nobody sees it (truth computations)
     */
    public Served serve(String userId, String impressionId, long seed, boolean log) {
        RankRequest req = new RankRequest(PipelineAssembly.SURFACE, userId, null, null, null, null, limit, false, null);
        RankResult r = sim.pipeline().rank(req, impressionId, seed, log ? RankingPipeline.Mode.SERVE : RankingPipeline.Mode.PREVIEW);
        return new Served(impressionId, userId, r, sim.explorer().last());
    }

    /** Draws the clicks of a served list and appends them to the impression log; returns the number of clicks. */
    public int postClicks(Served s, SplittableRandom random, long timestamp) {
        int clicks = 0;
        List<Candidate> shown = s.shown();
        for (int i = 0; i < shown.size(); i++) {
            Candidate c = shown.get(i);
            if (random.nextDouble() < truth.clickProbability(s.userId(), c.item(), i + 1)) {
                clicks++;
                sim.log().append(new FeedbackEvent(s.impressionId(), c.id(), "click", null, timestamp, null, timestamp));
            }
        }
        return clicks;
    }

    /** Full position distribution of {@code cfg} over the list the explorer was handed. */
    public PositionMarginals marginals(ExplorerConfig cfg, TapExplorer.Call call) {
        return PolicyPropensities.of(cfg, call.ranked(), call.placement(), call.limit(), call.seed());
    }

    /** Expected clicks of a list distribution for a user: sum over positions and items of P(item at k) P(click). */
    public double expectedClicks(String userId, TapExplorer.Call call, PositionMarginals m) {
        double v = 0;
        for (Candidate c : call.ranked()) {
            double rel = truth.relevance(userId, c.item());
            for (int k = 1; k <= m.positions(); k++) {
                double p = m.propensity(c.id(), k);
                if (p > 0) v += p * truth.examination(k) * rel;
            }
        }
        return v;
    }

    /**
     * The true value of serving with {@code scorer} (null = retrieval order) and explorer {@code cfg}: every user
     * once (the simulated traffic draws users uniformly, so this is its exact expectation).
     */
    public TrueValue trueValue(Scorer scorer, ExplorerConfig cfg) {
        Scorer before = sim.scorer();
        ExplorerConfig explorerBefore = sim.explorer().config();
        sim.useScorer(scorer);
        sim.useExplorer(cfg);
        try {
            double clicks = 0;
            long slots = 0;
            List<String> users = sim.userIds();
            for (int u = 0; u < users.size(); u++) {
                String id = users.get(u);
                Served s = serve(id, "truth-" + u, 1000L + u, false);
                PositionMarginals m = marginals(cfg, s.call());
                clicks += expectedClicks(id, s.call(), m);
                slots += m.positions();
            }
            return new TrueValue(slots == 0 ? Double.NaN : clicks / slots, slots, users.size());
        } finally {
            sim.useScorer(before);
            sim.useExplorer(explorerBefore);
        }
    }

    /** A scorer that knows the truth: each candidate's true relevance to the requesting user (an upper bound). */
    public Scorer oracle() {
        return new Scorer() {
            @Override
            public String version() { return "oracle"; }

            @Override
            public double[] score(io.ranker.core.RankingContext ctx, List<Candidate> candidates) {
                double[] s = new double[candidates.size()];
                for (int i = 0; i < s.length; i++) s[i] = truth.relevance(ctx.request().userId(), candidates.get(i).item());
                return s;
            }
        };
    }

    /**
     * P(the list starts with {@code prefix}) under {@code cfg} when it has no placement constraints and no protected
     * positions: the epsilon-mixture of the deterministic list and Plackett-Luce sampling without replacement from
     * softmax(score / T) over the pool (the top-K of the policy order, all candidates when K = 0 or K >= n).
     * The list-level estimator needs this for both policies.
     */
    public static double prefixProbability(ExplorerConfig cfg, List<Candidate> ranked, List<String> prefix) {
        boolean deterministic = true;
        for (int j = 0; j < prefix.size(); j++) {
            deterministic &= j < ranked.size() && ranked.get(j).id().equals(prefix.get(j));
        }
        if (!cfg.explores()) return deterministic ? 1.0 : 0.0;
        if (!ExplorerConfig.PLACKETT_LUCE.equals(cfg.type()) || cfg.protectedPositions() > 0) {
            throw new IllegalArgumentException("prefix probabilities are implemented for unprotected Plackett-Luce only");
        }
        int n = cfg.topK() == 0 ? ranked.size() : Math.min(ranked.size(), Math.max(cfg.topK(), prefix.size()));
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, ranked.get(i).score());
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp((ranked.get(i).score() - max) / cfg.temperature());
            total += w[i];
        }
        double pl = 1.0;
        for (String id : prefix) {
            int idx = -1;
            for (int i = 0; i < n; i++) if (ranked.get(i).id().equals(id)) idx = i;
            if (idx < 0 || w[idx] == 0) {
                pl = 0;
                break;
            }
            pl *= w[idx] / total;
            total -= w[idx];
            w[idx] = 0;
        }
        double eps = Math.min(1.0, cfg.epsilon());
        return (1 - eps) * (deterministic ? 1.0 : 0.0) + eps * pl;
    }
}
