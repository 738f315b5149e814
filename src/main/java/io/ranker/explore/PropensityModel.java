package io.ranker.explore;

import io.ranker.core.Candidate;
import io.ranker.core.Explorer;
import io.ranker.core.Placement;

import java.util.List;
import java.util.Set;

/** An explorer that can state its full position distribution for a request (for replay: pi_e). */
public interface PropensityModel extends Explorer {
    /**
     * P(candidate at position) for every ranked candidate and shown position, under the whole policy
     * (mixture, fixed positions, protected positions and caps included). Exact when a closed form or a small
     * enough pool allows, otherwise Monte Carlo from a stream derived from {@code seed}.
     */
    PositionMarginals marginals(List<Candidate> ranked, Placement placement, int limit, long seed,
                                Set<String> notExplorable);
}
