package io.ranker.core;


import java.util.List;
import java.util.Set;

/**
 * The business-policy stage for one surface: applies the ordered rules to the scored candidates.
 * Always applies (it encodes guarantees such as never showing blocked items), so it must not fail open.
 */
public interface PolicyStage {
    String version();

    PolicyOutcome apply(RankingContext ctx, List<Candidate> scored);

    /**
     * Item attributes the rules read (conditions, caps, diversify, slots, freshness, ...): logged with sampled
     * candidate sets, so that replay re-applies this rule set exactly whatever attributes it uses.
     */
    default Set<String> attributes() {
        return Set.of();
    }

    /**
     * @param ranked    candidates left after filtering, in policy order (best first)
     * @param removed   candidates the policy removed (their trace says which rule)
     * @param placement hard constraints for the explorer
     */
    record PolicyOutcome(List<Candidate> ranked, List<Candidate> removed, Placement placement) {
    }

    /** No rules: order by score, no constraints. */
    PolicyStage NONE = new PolicyStage() {
        @Override
        public String version() {
            return "none";
        }

        @Override
        public PolicyOutcome apply(RankingContext ctx, List<Candidate> scored) {
            List<Candidate> sorted = new java.util.ArrayList<>(scored);
            sorted.sort(java.util.Comparator.comparingDouble(Candidate::score).reversed());
            return new PolicyOutcome(sorted, List.of(), Placement.NONE);
        }
    };
}
