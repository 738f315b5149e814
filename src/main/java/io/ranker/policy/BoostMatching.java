package io.ranker.policy;

/** {@code type: boost}: raises the score of matching candidates (multiply >= 1 and/or add >= 0). */
public final class BoostMatching extends ScoreAdjustment {
    static final RuleType<BoostMatching> TYPE = new RuleType<>("boost", KEYS, in -> {
        Condition when = in.requiredCondition("when");
        Factors f = Factors.read(in, "boost");
        if (f == null) return null;
        if (f.multiply() < 1 || f.add() < 0) in.error("a boost must not lower scores: multiply >= 1 and add >= 0 (use bury)");
        return new BoostMatching(in.id(), in.active(), when, f.multiply(), f.add());
    });

    public BoostMatching(String id, ActiveWindow active, Condition when, double multiply, double add) {
        super(id, active, when, multiply, add);
    }

    @Override
    String action() { return "boosted"; }
}
