package io.ranker.policy;

import io.ranker.core.Candidate;

/**
 * A SCORE-phase rule: decides about each candidate on its own (drop it, or change its score). Because no
 * candidate's outcome depends on another's, the policy runs all of them candidate by candidate in one pass,
 * which touches each candidate's attributes once while they are in cache (the hot loop of the stage).
 */
public interface CandidateRule extends PolicyRule {
    /** What this rule does to one candidate in one request. */
    interface Step {
        /** @return false when the candidate is removed (the step has recorded the effect) */
        boolean apply(Candidate c);
    }

    /** Per-request preparation (e.g. one history lookup); null when the rule has nothing to do in this request. */
    Step prepare(PolicyRun run);

    @Override
    default Phase phase() { return Phase.SCORE; }

    /** Rule-at-a-time application (the policy itself uses the fused pass). */
    @Override
    default void apply(PolicyRun run) {
        Step step = prepare(run);
        if (step == null) return;
        run.removeIf(c -> !step.apply(c), null, null, null);
    }
}
