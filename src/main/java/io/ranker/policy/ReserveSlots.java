package io.ranker.policy;

import java.util.List;
import java.util.Set;

/**
 * {@code type: slot}: reserves 1-based positions for candidates matching {@code when} (sponsored at 3 and 8),
 * the best matching candidate first. When none is left, the {@code backfill} condition is tried, and then the
 * position is filled organically. Resolved with the other constraints by {@link PlaceConstrained}.
 */
public record ReserveSlots(String id, ActiveWindow active, Condition when, List<Integer> positions,
                           Condition backfill) implements PolicyRule {
    @Override
    public Phase phase() { return Phase.PLACE; }

    @Override
    public void apply(PolicyRun run) {
        run.slot(new PlaceConstrained.Slot(id, when, positions, backfill));
    }

    @Override
    public void collectAttributes(Set<String> into) {
        when.collectAttributes(into);
        if (backfill != null) backfill.collectAttributes(into);
    }
}
