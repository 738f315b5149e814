package io.ranker.explore;

import io.ranker.pipeline.Candidate;
import io.ranker.pipeline.Placement;

import java.util.List;

/**
 * Chooses the shown list from the policy-ordered candidates, possibly at random, and returns for every
 * shown item the exact probability, under the whole serving policy, that it is at that position.
 * Must respect the placement constraints (fixed positions, caps) inside sampling and be a pure function
 * of its inputs and the seed, so replay reproduces the list.
 */
public interface Explorer {
    String name();

    Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed);
}
