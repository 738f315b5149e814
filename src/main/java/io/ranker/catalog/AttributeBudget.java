package io.ranker.catalog;

import io.ranker.core.Item;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The catalog-wide cap on distinct attribute names ({@code ranking.catalog.max-attribute-names}), applied to one
 * write request: each item is checked before anything of its batch is written, against the names the catalog had
 * when the request started plus those the request's earlier accepted items introduced. An item that would pass the
 * cap is rejected whole (nothing of it is applied). Every name costs index structures and filter bookkeeping on
 * every later write, so a loader that invents names per item (a bug or an attack) must stop at the cap.
 */
public final class AttributeBudget {
    private final int maxNames;
    private final Set<String> known;
    private final Set<String> added = new HashSet<>();

    public AttributeBudget(int maxNames, Set<String> known) {
        this.maxNames = maxNames;
        this.known = Set.copyOf(known);
    }

    /** Null when the item fits (its new names are then counted); otherwise why it does not. */
    public String admit(Item item) {
        List<String> fresh = new ArrayList<>();
        for (String name : item.attributes().keySet()) {
            if (!known.contains(name) && !added.contains(name)) fresh.add(name);
        }
        if (fresh.isEmpty()) return null;
        int total = known.size() + added.size() + fresh.size();
        if (total > maxNames) {
            return "this item introduces " + fresh.size() + " new attribute name(s) " + fresh.subList(0, Math.min(5, fresh.size()))
                    + (fresh.size() > 5 ? "..." : "") + ", which would take the catalog past its " + maxNames
                    + " distinct attribute names (ranking.catalog.max-attribute-names); reuse existing names";
        }
        added.addAll(fresh);
        return null;
    }
}
