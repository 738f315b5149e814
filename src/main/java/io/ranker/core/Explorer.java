package io.ranker.core;


import java.util.List;
import java.util.Set;

/**
 * Chooses the shown list from the policy-ordered candidates, possibly at random, and returns for every
 * shown item the exact probability, under the whole serving policy, that it is at that position.
 * Must respect the placement constraints (fixed positions, caps) inside sampling and be a pure function
 * of its inputs and the seed, so replay reproduces the list.
 */
public interface Explorer {
    String name();

    Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed);

    /**
     * As {@link #explore(List, Placement, int, long)}, but the ids in {@code notExplorable} (over-exposed
     * items, see {@link ExposureTracker}) may not be explored into the list: they are shown only where the
     * deterministic list has them. The set is an input, so replay with the same set reproduces the list.
     */
    default Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed,
                                Set<String> notExplorable) {
        return explore(ranked, placement, limit, seed);
    }

    /**
     * As {@link #explore(List, Placement, int, long)} for a list nobody will be shown (a policy preview, a dry
     * run): an explorer that keeps per-surface state (exposure counts) must not count it.
     */
    default Exploration preview(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return explore(ranked, placement, limit, seed);
    }
}
