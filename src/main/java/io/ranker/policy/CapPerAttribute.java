package io.ranker.policy;

import io.ranker.core.CapConstraint;

import java.util.Set;

/**
 * {@code type: cap}: at most {@code max} candidates per value of {@code attribute} among the first {@code topK}
 * positions (brand &lt;= 2 in the top 10). Items without the attribute are not capped. A hard constraint: the
 * final order satisfies it, and the explorer receives it as a {@link CapConstraint} to keep it while sampling.
 */
public record CapPerAttribute(String id, ActiveWindow active, String attribute, int max, int topK)
        implements PolicyRule {
    @Override
    public Phase phase() { return Phase.PLACE; }

    @Override
    public void apply(PolicyRun run) {
        run.cap(this);
    }

    public CapConstraint constraint() {
        return new CapConstraint(id, attribute, max, topK);
    }

    @Override
    public void collectAttributes(Set<String> into) { into.add(attribute); }
}
