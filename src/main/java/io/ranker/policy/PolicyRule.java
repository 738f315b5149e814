package io.ranker.policy;

import java.util.Set;

/**
 * One business rule from a policy file: immutable configuration that lives as long as its rule set.
 * Rules run in phases (all score rules in declared order, then a sort by score, then ordering rules in declared
 * order, then the placement constraints), because a pin or a cap is only meaningful on the final order.
 */
public interface PolicyRule {
    /** The rule id from the file: unique within the rule set, shown in traces. */
    String id();

    ActiveWindow active();

    Phase phase();

    void apply(PolicyRun run);

    /** Item attribute names the rule reads (unknown-attribute check). */
    default void collectAttributes(Set<String> into) {
    }

    enum Phase {
        /** Per candidate: drop it or change its score (filter, boost, ...: the {@link CandidateRule}s). */
        SCORE,
        /** Reorder the sorted list (diversify). */
        ORDER,
        /** Declare hard constraints on positions (pin, slot, cap), resolved together at the end. */
        PLACE
    }
}
