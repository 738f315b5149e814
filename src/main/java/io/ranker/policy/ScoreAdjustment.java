package io.ranker.policy;

import io.ranker.core.Candidate;
import io.ranker.core.RuleEffect;

import java.util.Set;

/**
 * Shared mechanics of boost and bury: when the condition holds, score = scale(score, multiply) + add.
 * Model scores can be negative (ranking objectives output margins), where a plain product would turn a bury
 * into a boost; {@link #scale} keeps the direction: a factor above 1 always raises, below 1 always lowers.
 */
abstract class ScoreAdjustment implements CandidateRule {
    static final Set<String> KEYS = Set.of("when", "multiply", "add");

    /** The {@code multiply} and {@code add} of a boost or bury (at least one is required). */
    record Factors(double multiply, double add) {
        static Factors read(RuleFields in, String type) {
            if (!in.has("multiply") && !in.has("add")) {
                in.error("a " + type + " needs 'multiply' and/or 'add'");
                return null;
            }
            return new Factors(in.number("multiply", 0, 1e6, 1.0), in.number("add", -1e6, 1e6, 0.0));
        }
    }

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
    public Step prepare(PolicyRun run) {
        String action = action();
        boolean explain = run.explain();
        RuleEffect quiet = new RuleEffect(id, action, null);
        return c -> {
            if (!run.matches(when, c)) return true;
            double before = c.score();
            double after = scale(before, multiply) + add;
            c.setScore(after);
            c.addEffect(explain ? new RuleEffect(id, action, "score " + before + " -> " + after) : quiet);
            return true;
        };
    }

    /**
     * Multiplies a non-negative score, divides a negative one: the factor acts in the same direction either way.
     * A factor of 0 ("bury to the bottom") divides by 1e-3 rather than 0, so scores stay finite for the rules
     * and the explorer's softmax that follow.
     */
    static double scale(double score, double factor) {
        return score >= 0 ? score * factor : score / Math.max(factor, 1e-3);
    }

    @Override
    public void collectAttributes(Set<String> into) { when.collectAttributes(into); }
}
