package io.ranker.policy;

import io.ranker.core.Candidate;
import io.ranker.core.RuleEffect;

import java.util.Set;

/**
 * {@code type: freshness}: multiplies the score by {@code floor + (1 - floor) * 2^(-age / halfLife)}, age from
 * an epoch-millis attribute (default {@code created_at}). A brand-new item keeps its score, one half-life old
 * loses half of what the floor does not protect. An item without the attribute is treated as old (the floor),
 * so missing data never wins over known-fresh items. Optionally limited to candidates matching {@code when}.
 */
public record DecayWithAge(String id, ActiveWindow active, Condition when, String attribute, long halfLifeMillis,
                           double floor) implements CandidateRule {
    static final RuleType<DecayWithAge> TYPE = new RuleType<>("freshness", Set.of("when", "attribute", "halfLife", "floor"),
            in -> new DecayWithAge(in.id(), in.active(), in.condition("when", Condition.ALWAYS),
                    in.string("attribute", "created_at"), in.requiredDuration("halfLife"), in.number("floor", 0, 1, 0.0)));
    private static final double LN2 = Math.log(2);

    @Override
    public Step prepare(PolicyRun run) {
        long now = run.nowMillis();
        boolean explain = run.explain();
        RuleEffect quiet = new RuleEffect(id, "decayed", null);
        return c -> {
            if (!run.matches(when, c)) return true;
            Object created = c.item() == null ? null : c.item().attribute(attribute);
            double m;
            if (created instanceof Number n && !Double.isNaN(n.doubleValue())) {
                double age = Math.max(0, now - n.doubleValue());
                m = floor + (1 - floor) * Math.exp(-LN2 * age / halfLifeMillis);
            } else {
                m = floor;
            }
            double before = c.score();
            c.setScore(ScoreAdjustment.scale(before, m)); // negative scores decay downwards too
            c.addEffect(explain ? new RuleEffect(id, "decayed", "x" + m + ": " + before + " -> " + c.score()) : quiet);
            return true;
        };
    }

    @Override
    public void collectAttributes(Set<String> into) {
        into.add(attribute);
        when.collectAttributes(into);
    }
}
