package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.List;
import java.util.Set;

/**
 * Explores on a fraction {@code epsilon} of requests (decided by the request seed) and serves the
 * deterministic list otherwise. Logged propensity at a drawn position:
 * {@code epsilon * P_explore(item at pos) + (1 - epsilon) * [item is at pos in the deterministic list]};
 * at fixed and protected positions it is 1. The choice probabilities are always those of the explore
 * branch, so list-level estimators get P(list) = epsilon * prod(choice) + (1 - epsilon) * [list == deterministic].
 */
public final class MixtureExplorer implements Explorer, PropensityModel {
    private final double epsilon;
    private final StochasticExplorer explore;

    public MixtureExplorer(double epsilon, StochasticExplorer explore) {
        if (!(epsilon >= 0 && epsilon <= 1)) throw new IllegalArgumentException("epsilon not in [0, 1]");
        this.epsilon = epsilon;
        this.explore = explore;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public String name() {
        return "mixture(epsilon=" + epsilon + ")+" + explore.name();
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return explore.explore(ranked, placement, limit, seed, Set.of(), epsilon);
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed,
                               Set<String> notExplorable) {
        return explore.explore(ranked, placement, limit, seed, notExplorable, epsilon);
    }

    @Override
    public PositionMarginals marginals(List<Candidate> ranked, Placement placement, int limit, long seed,
                                       Set<String> notExplorable) {
        return explore.marginals(ranked, placement, limit, seed, notExplorable, epsilon);
    }
}
