package io.ranker.policy;

/** {@code type: bury}: lowers the score of matching candidates (multiply <= 1 and/or add <= 0). */
public final class BuryMatching extends ScoreAdjustment {
    static final RuleType<BuryMatching> TYPE = new RuleType<>("bury", KEYS, in -> {
        Condition when = in.requiredCondition("when");
        Factors f = Factors.read(in, "bury");
        if (f == null) return null;
        if (f.multiply() > 1 || f.add() > 0) in.error("a bury must not raise scores: multiply <= 1 and add <= 0 (use boost)");
        return new BuryMatching(in.id(), in.active(), when, f.multiply(), f.add());
    });

    public BuryMatching(String id, ActiveWindow active, Condition when, double multiply, double add) {
        super(id, active, when, multiply, add);
    }

    @Override
    String action() { return "buried"; }
}
