package io.ranker.policy;

import java.util.Set;

/**
 * {@code type: pin}: puts one item at a fixed 1-based position: the item with id {@code item}, or the best
 * candidate matching {@code when}. Resolved with the other constraints by {@link PlaceConstrained}.
 */
public record PinItem(String id, ActiveWindow active, String itemId, Condition when, int position)
        implements PolicyRule {
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
