package io.ranker.policy;

import java.util.Map;
import java.util.Set;

/**
 * {@code type: pin}: puts one item at a fixed 1-based position: the item with id {@code item}, or the best
 * candidate matching {@code when}. Resolved with the other constraints by {@link PlaceConstrained}.
 */
public record PinItem(String id, ActiveWindow active, String itemId, Condition when, int position)
        implements PolicyRule {
    static final RuleType<PinItem> TYPE = new RuleType<>("pin", Set.of("item", "when", "position"),
            PinItem::read, PinItem::check);
    /** Ledger of pinned positions (position to rule id), shared with the slot check. */
    static final String PINNED = "pinned positions";

    private static PinItem read(RuleFields in) {
        String item = in.string("item", null);
        Condition when = in.condition("when", null);
        if (in.has("item") == in.has("when")) {
            in.error("a pin needs exactly one of 'item' (an item id) or 'when' (the best matching item)");
        }
        return new PinItem(in.id(), in.active(), item, when, in.requiredInt("position", 1, 100_000));
    }

    /** A pin must fit in the largest list, on a position no earlier pin or slot took. */
    private static void check(PinItem p, RuleSetCheck set) {
        Map<Object, String> pinned = set.ledger(PINNED), slotted = set.ledger(ReserveSlots.RESERVED);
        if (p.position > set.maxListSize()) {
            set.error("impossible pin: position " + p.position + " is beyond the largest list (" + set.maxListSize() + ")");
        } else if (pinned.containsKey(p.position)) {
            set.error("impossible pin: position " + p.position + " is already pinned by rule '" + pinned.get(p.position) + "'");
        } else if (slotted.containsKey(p.position)) {
            set.error("impossible pin: position " + p.position + " is reserved by slot rule '" + slotted.get(p.position) + "'");
        }
        pinned.putIfAbsent(p.position, p.id);
    }

    @Override
    public Phase phase() { return Phase.PLACE; }

    @Override
    public void apply(PolicyRun run) {
        run.pin(new PlaceConstrained.Pin(id, itemId, when, position));
    }

    @Override
    public void collectAttributes(Set<String> into) {
        if (when != null) when.collectAttributes(into);
    }
}
