package io.ranker.policy;

/** {@code type: bury}: lowers the score of matching candidates (multiply <= 1 and/or add <= 0). */
public final class BuryMatching extends ScoreAdjustment {
    public BuryMatching(String id, ActiveWindow active, Condition when, double multiply, double add) {
        super(id, active, when, multiply, add);
    }

    @Override
    String action() { return "buried"; }
}
