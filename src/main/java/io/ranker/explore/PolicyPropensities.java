package io.ranker.explore;

import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * pi_e(item, position) of a candidate explorer configuration on a logged request, for off-policy
 * estimators: run the candidate model/policy over the logged candidates to get {@code ranked} and
 * {@code placement}, then ask for the explorer's full position distribution. Exact where possible,
 * otherwise Monte Carlo with {@code cfg.mcSamples()} samples from a stream derived from {@code seed}
 * (pass the logged seed, so repeated evaluations agree).
 */
public final class PolicyPropensities {
    private PolicyPropensities() {
    }

    public static PositionMarginals of(ExplorerConfig cfg, List<Candidate> ranked, Placement placement, int limit,
                                       long seed) {
        return of(cfg, ranked, placement, limit, seed, Set.of());
    }

    public static PositionMarginals of(ExplorerConfig cfg, List<Candidate> ranked, Placement placement, int limit,
                                       long seed, Set<String> notExplorable) {
        return ExplorerFactory.propensityModel(cfg).marginals(ranked, placement, limit, seed, notExplorable);
    }

    /** pi_e for a single (item, position). */
    public static double of(ExplorerConfig cfg, List<Candidate> ranked, Placement placement, int limit, long seed,
                            String itemId, int position) {
        return of(cfg, ranked, placement, limit, seed).propensity(itemId, position);
    }

    /**
     * P(the list starts with {@code shown[0..k]}) under the explorer policy, for k = 0..shown.size()-1: what the
     * list-level (cascade, RIPS) estimator divides by. Exact: the mixture of the deterministic list (weight
     * 1 - epsilon, probability 1 when the prefix is the deterministic prefix) and the explore branch (the product
     * of its sequential choice probabilities; fixed and protected positions must hold their deterministic item).
     * 0 when the prefix is impossible (an item outside the pool, a position beyond the list).
     */
    public static double[] prefixProbabilities(ExplorerConfig cfg, List<Candidate> ranked, Placement placement,
                                               int limit, List<String> shown) {
        return prefixProbabilities(cfg, ranked, placement, limit, shown, Set.of());
    }

    /** As above, with the over-exposed candidates the explorer kept out of sampling. */
    public static double[] prefixProbabilities(ExplorerConfig cfg, List<Candidate> ranked, Placement placement,
                                               int limit, List<String> shown, Set<String> notExplorable) {
        int m = shown.size();
        double[] out = new double[m];
        double epsilon = cfg.explores() ? Math.min(cfg.epsilon(), 1.0) : 0.0;
        StochasticExplorer explore = epsilon > 0 ? ExplorerFactory.sampler(cfg) : null;
        Frame frame = Frame.build(ranked, placement, limit, explore == null ? 0 : explore.protectedPositions);
        Map<String, Integer> rankedIndex = new HashMap<>(ranked.size() * 2);
        for (int i = 0; i < ranked.size(); i++) rankedIndex.putIfAbsent(ranked.get(i).id(), i);
        // deterministic branch: 1 while the prefix equals the deterministic list
        double[] det = new double[m];
        boolean same = true;
        for (int k = 0; k < m; k++) {
            same &= k < frame.length && ranked.get(frame.det[k]).id().equals(shown.get(k));
            det[k] = same ? 1.0 : 0.0;
        }
        double[] exp = new double[m];
        if (explore != null) {
            SamplingProblem sp = frame.length == 0 ? null : explore.problem(frame, notExplorable);
            if (sp == null || sp.steps == 0) {
                System.arraycopy(det, 0, exp, 0, m);
            } else {
                int[] poolOf = new int[ranked.size()];
                java.util.Arrays.fill(poolOf, -1);
                for (int i = 0; i < sp.n; i++) poolOf[sp.poolRanked[i]] = i;
                int[] picks = new int[sp.steps];
                int[] stepAt = new int[frame.length + 1];
                java.util.Arrays.fill(stepAt, -1);
                for (int k = 0; k < sp.steps; k++) {
                    int pos = sp.stepPosition[k];
                    stepAt[pos] = k;
                    Integer r = pos <= m ? rankedIndex.get(shown.get(pos - 1)) : null;
                    picks[k] = r == null ? -1 : poolOf[r];
                }
                // later picks cannot change earlier choice probabilities, so one pass serves every prefix
                double[] choice = new double[sp.steps];
                sp.choiceProbabilities(picks, choice); // a -1 pick (not in the pool) gets 0
                double p = 1.0;
                for (int pos = 1; pos <= m; pos++) {
                    if (pos > frame.length) {
                        p = 0;
                    } else if (stepAt[pos] < 0) {
                        if (!ranked.get(frame.det[pos - 1]).id().equals(shown.get(pos - 1))) p = 0;
                    } else {
                        int k = stepAt[pos];
                        p *= picks[k] < 0 ? 0.0 : choice[k];
                    }
                    exp[pos - 1] = p;
                }
            }
        }
        for (int k = 0; k < m; k++) out[k] = epsilon * exp[k] + (1 - epsilon) * det[k];
        return out;
    }
}
