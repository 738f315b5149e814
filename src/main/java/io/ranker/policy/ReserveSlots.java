package io.ranker.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: slot}: reserves 1-based positions for candidates matching {@code when} (sponsored at 3 and 8),
 * the best matching candidate first. When none is left, the {@code backfill} condition is tried, and then the
 * position is filled organically. Resolved with the other constraints by {@link PlaceConstrained}.
 */
public record ReserveSlots(String id, ActiveWindow active, Condition when, List<Integer> positions,
                           Condition backfill) implements PolicyRule {
    static final RuleType<ReserveSlots> TYPE = new RuleType<>("slot", Set.of("when", "positions", "backfill"),
            in -> new ReserveSlots(in.id(), in.active(), in.requiredCondition("when"), in.positions("positions"),
                    in.condition("backfill", null)),
            ReserveSlots::check);
    /** Ledger of reserved positions (position to rule id), shared with the pin check. */
    static final String RESERVED = "reserved positions";

    /** Each position must fit in the largest list and not be pinned or reserved by an earlier rule. */
    private static void check(ReserveSlots s, RuleSetCheck set) {
        Map<Object, String> pinned = set.ledger(PinItem.PINNED), slotted = set.ledger(RESERVED);
        for (int pos : s.positions) {
            if (pos > set.maxListSize()) {
                set.error("slot beyond the list size: position " + pos + " > the largest list (" + set.maxListSize() + ")");
            } else if (pinned.containsKey(pos)) {
                set.error("slot position " + pos + " is already pinned by rule '" + pinned.get(pos) + "'");
            } else if (slotted.containsKey(pos)) {
                set.error("slot position " + pos + " is already reserved by slot rule '" + slotted.get(pos) + "'");
            }
            slotted.putIfAbsent(pos, s.id);
        }
    }

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
