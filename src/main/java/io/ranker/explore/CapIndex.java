package io.ranker.explore;

import io.ranker.core.CapConstraint;
import io.ranker.core.Candidate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The caps of one request as dense "slots": one slot per (cap, attribute value). Every ranked candidate
 * knows its slots, so the sampler counts and checks caps with array lookups only.
 */
final class CapIndex {
    private static final int[] NONE = new int[0];

    private final int[] slotMax;
    private final int[] slotTopK;
    private final int[][] slotsByRanked;

    CapIndex(List<Candidate> ranked, List<CapConstraint> caps) {
        slotsByRanked = new int[ranked.size()][];
        if (caps.isEmpty()) {
            java.util.Arrays.fill(slotsByRanked, NONE);
            slotMax = NONE;
            slotTopK = NONE;
            return;
        }
        List<Map<String, Integer>> valueSlots = new ArrayList<>(caps.size());
        for (int c = 0; c < caps.size(); c++) valueSlots.add(new HashMap<>());
        List<int[]> slotDefs = new ArrayList<>();
        int[] buffer = new int[8];
        for (int r = 0; r < ranked.size(); r++) {
            var item = ranked.get(r).item();
            int k = 0;
            for (int c = 0; c < caps.size(); c++) {
                CapConstraint cap = caps.get(c);
                if (item == null) continue;
                for (String value : item.attributeValues(cap.attribute())) {
                    final int capIdx = c;
                    Integer slot = valueSlots.get(c).computeIfAbsent(value, v -> {
                        slotDefs.add(new int[]{Math.max(0, cap.maxPerValue()), Math.max(0, caps.get(capIdx).topK())});
                        return slotDefs.size() - 1;
                    });
                    if (contains(buffer, k, slot)) continue; // a list attribute may repeat a value
                    if (k == buffer.length) buffer = java.util.Arrays.copyOf(buffer, k * 2);
                    buffer[k++] = slot;
                }
            }
            slotsByRanked[r] = k == 0 ? NONE : java.util.Arrays.copyOf(buffer, k);
        }
        slotMax = new int[slotDefs.size()];
        slotTopK = new int[slotDefs.size()];
        for (int s = 0; s < slotDefs.size(); s++) {
            slotMax[s] = slotDefs.get(s)[0];
            slotTopK[s] = slotDefs.get(s)[1];
        }
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }

    int slotCount() { return slotMax.length; }

    int max(int slot) { return slotMax[slot]; }

    /** The cap of this slot applies at positions 1..topK. */
    int topK(int slot) { return slotTopK[slot]; }

    int[] slotsOf(int rankedIndex) { return slotsByRanked[rankedIndex]; }

    /** Whether the candidate may take {@code position} given the per-slot counts so far. */
    boolean allows(int rankedIndex, int position, int[] counts) {
        for (int s : slotsByRanked[rankedIndex]) {
            if (position <= slotTopK[s] && counts[s] >= slotMax[s]) return false;
        }
        return true;
    }

    /** Counts the candidate towards every cap whose top K covers {@code position}. */
    void count(int rankedIndex, int position, int[] counts) {
        for (int s : slotsByRanked[rankedIndex]) {
            if (position <= slotTopK[s]) counts[s]++;
        }
    }
}
