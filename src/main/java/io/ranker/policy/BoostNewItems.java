package io.ranker.policy;

import io.ranker.core.RuleEffect;

import java.util.Set;

/**
 * {@code type: boost_new}: new items first. An item created less than {@code window} ago gets a boost that fades
 * linearly with its age: {@code score = scale(score, 1 + (multiply - 1) * w) + add * w}, {@code w = 1 - age / window}.
 * A brand-new item gets the full boost, one at the end of the window none, so nothing jumps when an item ages
 * out. This is the cold-start counterpart of {@code freshness}: a model has little engagement data for a new
 * item and under-scores it, and a decay of old items cannot lift one new item above its established neighbours.
 * Age comes from an epoch-millis attribute (default {@code created_at}); an item without it is not boosted
 * (missing data never wins), a timestamp slightly in the future (clock skew at ingest) counts as age 0.
 * Optionally limited to candidates matching {@code when}.
 */
public record BoostNewItems(String id, ActiveWindow active, Condition when, String attribute, long windowMillis,
                            double multiply, double add) implements CandidateRule {
    static final RuleType<BoostNewItems> TYPE = new RuleType<>("boost_new",
            Set.of("window", "multiply", "add", "attribute", "when"), in -> {
        Condition when = in.condition("when", Condition.ALWAYS);
        String attribute = in.string("attribute", "created_at");
        long window = in.requiredDuration("window");
        ScoreAdjustment.Factors f = ScoreAdjustment.Factors.read(in, "boost_new");
        if (f == null) return null;
        if (f.multiply() < 1 || f.add() < 0) in.error("a boost_new must not lower scores: multiply >= 1 and add >= 0");
        return new BoostNewItems(in.id(), in.active(), when, attribute, window, f.multiply(), f.add());
    });

    @Override
    public Step prepare(PolicyRun run) {
        long now = run.nowMillis();
        boolean explain = run.explain();
        RuleEffect quiet = new RuleEffect(id, "boosted", null);
        return c -> {
            Object created = c.item() == null ? null : c.item().attribute(attribute);
            if (!(created instanceof Number n) || Double.isNaN(n.doubleValue())) return true;
            double age = Math.max(0, now - n.doubleValue());
            if (age >= windowMillis || !run.matches(when, c)) return true;
            double w = 1 - age / windowMillis;
            double before = c.score();
            c.setScore(ScoreAdjustment.scale(before, 1 + (multiply - 1) * w) + add * w);
            c.addEffect(explain ? new RuleEffect(id, "boosted", "new item, weight " + w + ": " + before + " -> " + c.score())
                    : quiet);
            return true;
        };
    }

    @Override
    public void collectAttributes(Set<String> into) {
        into.add(attribute);
        when.collectAttributes(into);
    }
}
