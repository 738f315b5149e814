package io.ranker.policy;

import io.ranker.pipeline.Candidate;
import io.ranker.pipeline.RuleEffect;

import java.util.Set;

/**
 * Shared mechanics of boost and bury: when the condition holds, score = score * multiply + add.
 * (Multiplying assumes non-negative scores, which the model's probabilities are; use {@code add} otherwise.)
 */
abstract class ScoreAdjustment implements PolicyRule {
    private final String id;
    private final ActiveWindow active;
    private final Condition when;
    private final double multiply;
    private final double add;

    ScoreAdjustment(String id, ActiveWindow active, Condition when, double multiply, double add) {
        this.id = id;
        this.active = active;
        this.when = when;
        this.multiply = multiply;
        this.add = add;
    }

    abstract String action();

    @Override
    public String id() { return id; }

    @Override
    public ActiveWindow active() { return active; }

    public double multiply() { return multiply; }

    public double add() { return add; }

    @Override
    public Phase phase() { return Phase.SCORE; }

    @Override
    public void apply(PolicyRun run) {
        String action = action();
        for (Candidate c : run.candidates()) {
            if (!run.matches(when, c)) continue;
            double before = c.score();
            double after = before * multiply + add;
            c.setScore(after);
            c.addEffect(new RuleEffect(id, action, run.explain() ? "score " + before + " -> " + after : null));
        }
    }

    @Override
    public void collectAttributes(Set<String> into) { when.collectAttributes(into); }
}
