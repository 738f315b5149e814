package io.ranker.policy;

/** {@code type: boost}: raises the score of matching candidates (multiply >= 1 and/or add >= 0). */
public final class BoostMatching extends ScoreAdjustment {
    public BoostMatching(String id, ActiveWindow active, Condition when, double multiply, double add) {
        super(id, active, when, multiply, add);
    }

    @Override
    String action() { return "boosted"; }
}
