package io.ranker.explore;

import io.ranker.pipeline.Candidate;
import io.ranker.pipeline.Placement;

import java.util.List;
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
}
