package io.ranker.policy;

import java.util.Set;

/** {@code type: filter}: removes every candidate matching the condition (out of stock, blocked brand, ...). */
public record DropMatching(String id, ActiveWindow active, Condition when) implements PolicyRule {
    @Override
    public Phase phase() { return Phase.SCORE; }

    @Override
    public void apply(PolicyRun run) {
        run.removeIf(c -> run.matches(when, c), id, "filtered", null);
    }

    @Override
    public void collectAttributes(Set<String> into) { when.collectAttributes(into); }
}
