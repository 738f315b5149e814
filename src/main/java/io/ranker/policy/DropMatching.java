package io.ranker.policy;

import io.ranker.core.RuleEffect;

import java.util.Set;

/** {@code type: filter}: removes every candidate matching the condition (out of stock, blocked brand, ...). */
public record DropMatching(String id, ActiveWindow active, Condition when) implements CandidateRule {
    static final RuleType<DropMatching> TYPE = new RuleType<>("filter", Set.of("when"),
            in -> new DropMatching(in.id(), in.active(), in.requiredCondition("when")));

    @Override
    public Step prepare(PolicyRun run) {
        RuleEffect effect = new RuleEffect(id, "filtered", null);
        return c -> {
            if (!run.matches(when, c)) return true;
            c.addEffect(effect);
            return false;
        };
    }

    @Override
    public void collectAttributes(Set<String> into) { when.collectAttributes(into); }
}
