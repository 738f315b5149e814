package io.ranker.policy;

import io.ranker.core.Candidate;
import io.ranker.core.CapConstraint;
import io.ranker.core.Placement;
import io.ranker.core.RuleEffect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the declared pins, slots and caps into one final order that satisfies them all, and the
 * {@link Placement} the explorer must keep while sampling.
 * <ol>
 *   <li>Pins naming an item id, then pins taking the best item matching a condition (an explicit item is never
 *       taken by a generic pin), each group in declared order. A position beyond the list, or one an earlier
 *       pin took, is left unsatisfied.</li>
 *   <li>Slots, in declared order, each position ascending: the best unplaced candidate matching the condition
 *       that does not break a cap, else the best matching the backfill condition, else the position stays free.</li>
 *   <li>Free positions are filled in the current order, skipping a candidate while it would break a cap
 *       (fixed items count towards caps first, so they always fit). A skipped candidate drops behind the top K.</li>
 * </ol>
 * Caps are hard: when nothing left fits the next position within a cap's top K, the list ends there, and the
 * candidates that could not be placed are removed with a "capped" effect.
 */
final class PlaceConstrained {
    record Pin(String rule, String itemId, Condition when, int position) {
    }

    record Slot(String rule, Condition when, List<Integer> positions, Condition backfill) {
    }

    private final PolicyRun run;
    private final List<Candidate> order;
    private final int n;
    private final Candidate[] fixed;
    /** Positions filled by a slot rule (checked against the caps when placed, so they may move up). */
    private final boolean[] slotFilled;
    /** Index in {@code order} of the candidate fixed at each position. */
    private final int[] fixedIdx;
    private final boolean[] used;
    private final List<CapPerAttribute> caps;
    private final List<Map<String, Integer>> capCounts;
    /** Per cap, per candidate index: the candidate's values of the capped attribute, computed on first use. */
    private final String[][][] capValues;
    private final int maxTopK;

    private PlaceConstrained(PolicyRun run) {
        this.run = run;
        this.order = run.list;
        this.n = order.size();
        this.fixed = new Candidate[n + 1];
        this.slotFilled = new boolean[n + 1];
        this.fixedIdx = new int[n + 1];
        this.used = new boolean[n];
        this.caps = run.caps;
        this.capCounts = new ArrayList<>(caps.size());
        for (int i = 0; i < caps.size(); i++) capCounts.add(new HashMap<>());
        this.capValues = new String[caps.size()][n][];
        int top = 0;
        for (CapPerAttribute c : caps) top = Math.max(top, c.topK());
        this.maxTopK = top;
    }

    static Placement resolve(PolicyRun run) {
        if (run.pins.isEmpty() && run.slots.isEmpty() && run.caps.isEmpty()) return Placement.NONE;
        return new PlaceConstrained(run).place();
    }

    private Placement place() {
        for (Pin pin : run.pins) if (pin.itemId() != null) placePin(pin);
        for (Pin pin : run.pins) if (pin.itemId() == null) placePin(pin);
        for (Slot slot : run.slots) placeSlot(slot);
        List<Candidate> out = fill();
        Map<Integer, String> fixedPositions = new LinkedHashMap<>();
        for (int p = 1; p <= out.size(); p++) if (fixed[p] != null) fixedPositions.put(p, fixed[p].id());
        order.clear();
        order.addAll(out);
        List<CapConstraint> constraints = new ArrayList<>(caps.size());
        for (CapPerAttribute c : caps) constraints.add(c.constraint());
        return new Placement(fixedPositions, constraints);
    }

    private void placePin(Pin pin) {
        int p = pin.position();
        if (p < 1 || p > n || fixed[p] != null) return;
        int idx = -1;
        for (int i = 0; i < n && idx < 0; i++) {
            if (used[i]) continue;
            Candidate c = order.get(i);
            if (pin.itemId() != null ? pin.itemId().equals(c.id()) : run.matches(pin.when(), c)) idx = i;
        }
        if (idx >= 0) fix(idx, p, pin.rule(), "pinned");
    }

    private void placeSlot(Slot slot) {
        for (int p : slot.positions()) {
            if (p < 1 || p > n || fixed[p] != null) continue;
            int idx = bestMatching(slot.when(), p);
            if (idx >= 0) {
                fix(idx, p, slot.rule(), "slotted");
                slotFilled[p] = true;
            } else if (slot.backfill() != null && (idx = bestMatching(slot.backfill(), p)) >= 0) {
                fix(idx, p, slot.rule(), "backfilled");
                slotFilled[p] = true;
            }
        }
    }

    private int bestMatching(Condition when, int position) {
        for (int i = 0; i < n; i++) {
            if (used[i]) continue;
            Candidate c = order.get(i);
            if (run.matches(when, c) && blockingCap(i, position) < 0) return i;
        }
        return -1;
    }

    private void fix(int idx, int position, String rule, String action) {
        Candidate c = order.get(idx);
        fixed[position] = c;
        fixedIdx[position] = idx;
        used[idx] = true;
        count(idx, position);
        c.addEffect(new RuleEffect(rule, action, run.explain() ? "moved " + (idx + 1) + " -> " + position : null));
    }

    private List<Candidate> fill() {
        List<Candidate> out = new ArrayList<>(n);
        boolean[] deferred = new boolean[n];
        int head = 0;
        for (int pos = 1; pos <= n; pos++) {
            if (fixed[pos] != null) {
                out.add(fixed[pos]);
                continue;
            }
            while (head < n && used[head]) head++;
            int pick = -1;
            for (int i = head; i < n; i++) {
                if (used[i]) continue;
                Candidate c = order.get(i);
                int cap = blockingCap(i, pos);
                if (cap < 0) {
                    pick = i;
                    break;
                }
                if (!deferred[i]) {
                    deferred[i] = true;
                    CapPerAttribute by = caps.get(cap);
                    c.addEffect(new RuleEffect(by.id(), "capped", run.explain()
                            ? by.attribute() + " over " + by.max() + " in the top " + by.topK() : null));
                }
            }
            if (pick < 0) {
                // Nothing organic fits within a cap's top K. Items already fixed further down (slots, pins) were
                // counted against the caps first; rather than end the list before them, which can leave it empty
                // (a single-brand search whose sponsored items took the brand's quota), move the next one up.
                // Only slot fillers move, and only when the caps allow them here once their old place is freed.
                int next = pos + 1;
                while (next <= n && !(fixed[next] != null && slotFilled[next] && fitsAfterMove(next, pos))) next++;
                if (next > n) break; // the list ends here
                count(fixedIdx[next], pos);
                out.add(fixed[next]);
                fixed[next] = null;
                slotFilled[next] = false;
                continue;
            }
            used[pick] = true;
            count(pick, pos);
            out.add(order.get(pick));
        }
        for (int p = out.size() + 1; p <= n; p++) {
            if (fixed[p] != null) {
                fixed[p].addEffect(new RuleEffect("placement", "unplaced", "caps end the list before position " + p));
                run.removed.add(fixed[p]);
                fixed[p] = null;
            }
        }
        for (int i = 0; i < n; i++) {
            if (!used[i]) {
                Candidate c = order.get(i);
                if (!deferred[i]) c.addEffect(new RuleEffect("placement", "capped", "no room left within the caps"));
                run.removed.add(c);
            }
        }
        return out;
    }

    /** Whether the slot filler at {@code from} may move up to {@code to}: its count moves with it; caps are checked there. */
    private boolean fitsAfterMove(int from, int to) {
        int idx = fixedIdx[from];
        uncount(idx, from);
        boolean fits = blockingCap(idx, to) < 0;
        count(idx, from); // restored; the caller counts it at its new position when it moves
        if (fits) uncount(idx, from);
        return fits;
    }

    private void uncount(int i, int position) {
        if (position > maxTopK) return;
        for (int k = 0; k < caps.size(); k++) {
            CapPerAttribute cap = caps.get(k);
            if (position > cap.topK()) continue;
            for (String v : values(k, i)) capCounts.get(k).merge(v, -1, Integer::sum);
        }
    }

    /** Index of the first cap that placing candidate {@code i} at {@code position} would break, or -1. */
    private int blockingCap(int i, int position) {
        if (position > maxTopK) return -1;
        for (int k = 0; k < caps.size(); k++) {
            CapPerAttribute cap = caps.get(k);
            if (position > cap.topK()) continue;
            Map<String, Integer> counts = capCounts.get(k);
            for (String v : values(k, i)) {
                Integer have = counts.get(v);
                if (have != null && have >= cap.max() || cap.max() == 0) return k;
            }
        }
        return -1;
    }

    private void count(int i, int position) {
        if (position > maxTopK) return;
        for (int k = 0; k < caps.size(); k++) {
            CapPerAttribute cap = caps.get(k);
            if (position > cap.topK()) continue;
            for (String v : values(k, i)) capCounts.get(k).merge(v, 1, Integer::sum);
        }
    }

    private String[] values(int k, int i) {
        String[] v = capValues[k][i];
        if (v == null) {
            v = ItemValues.of(order.get(i).item(), caps.get(k).attribute());
            capValues[k][i] = v;
        }
        return v;
    }
}
