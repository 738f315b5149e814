package io.ranker.core;

import java.util.List;
import java.util.Set;

/**
 * What the pipeline decided for one request; the API layer renders it, the side effects (impression log, counters,
 * seen history) record it, replay compares it with the log.
 *
 * @param candidates       every candidate as scored (the set an impression logs for replay), in retrieval order
 * @param policy           what the policy stage kept (in policy order), removed and fixed for the explorer
 * @param exploration      the shown list and its propensities
 * @param featureNames     names of the candidates' feature values, in order
 * @param policyAttributes item attributes the policy that ranked this request reads (logged with candidate sets, so
 *                         that replay re-applies exactly this rule set)
 */
public record RankResult(RankingContext context, List<Candidate> candidates, PolicyStage.PolicyOutcome policy,
                         Exploration exploration, List<String> featureNames, Set<String> policyAttributes) {

    /** Candidates the policy removed (their trace says which rule). */
    public List<Candidate> removed() {
        return policy.removed();
    }

    public int candidateCount() {
        return candidates.size();
    }
}
