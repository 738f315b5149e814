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
    static final RuleType<CapPerAttribute> TYPE = new RuleType<>("cap", Set.of("attribute", "max", "topK"),
            in -> new CapPerAttribute(in.id(), in.active(), in.requiredString("attribute"),
                    in.requiredInt("max", 0, 100_000), in.requiredInt("topK", 1, 100_000)),
            CapPerAttribute::check);

    /** One cap per attribute (two would contradict each other), and a cap that would empty the list is a filter. */
    private static void check(CapPerAttribute c, RuleSetCheck set) {
        String other = set.ledger("cap").putIfAbsent(c.attribute, c.id);
        if (other != null) {
            set.error("contradictory caps: '" + c.attribute + "' is already capped by rule '" + other
                    + "'; use one cap per attribute");
        }
        if (c.max == 0 && c.topK >= set.maxListSize()) {
            set.error("contradictory cap: max 0 within the top " + c.topK + " removes every item with a '"
                    + c.attribute + "'; use a filter");
        }
    }

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
