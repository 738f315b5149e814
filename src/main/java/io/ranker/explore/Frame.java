package io.ranker.explore;

import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deterministic part of one request: the deterministic list (what the policy alone would show) and
 * which positions are held fixed (pins and slots from the placement, protected top positions).
 *
 * <p>The deterministic list places every fixed candidate at its position and fills the other positions
 * in policy order with the first candidate the caps allow. When no remaining candidate satisfies the caps
 * the cap is relaxed for that position (the first remaining candidate takes it), as the policy itself must
 * still fill the list; the sampler applies the same rule, so propensities stay those of what is shown.
 * Since {@code ranked} already comes in constrained policy order, this is normally its first {@code limit}.
 * A fixed position whose id is not among the candidates (filtered) is ignored; the list ends at the first
 * position that nothing can fill.
 */
final class Frame {
    static final byte FREE = 0;
    static final byte FIXED = 1;
    static final byte PROTECTED = 2;

    final List<Candidate> ranked;
    final CapIndex caps;
    /** Number of shown positions. */
    final int length;
    /** Ranked index of the deterministic list's candidate at each position (index = position - 1). */
    final int[] det;
    /** FREE, FIXED or PROTECTED per position. */
    final byte[] kind;
    /** Per ranked index: pinned to a position or at a protected position, so never sampled elsewhere. */
    final boolean[] held;
    /** Per ranked index: the deterministic list's position (1-based), 0 when not in it. */
    final int[] detPosition;

    private Frame(List<Candidate> ranked, CapIndex caps, int length, int[] det, byte[] kind, boolean[] held,
                  int[] detPosition) {
        this.ranked = ranked;
        this.caps = caps;
        this.length = length;
        this.det = det;
        this.kind = kind;
        this.held = held;
        this.detPosition = detPosition;
    }

    static Frame build(List<Candidate> ranked, Placement placement, int limit, int protectedPositions) {
        int n = ranked.size();
        limit = Math.max(0, limit);
        CapIndex caps = new CapIndex(ranked, placement.caps());
        boolean[] held = new boolean[n];
        int[] fixedAt = new int[limit];
        java.util.Arrays.fill(fixedAt, -1);
        if (!placement.fixedPositions().isEmpty()) {
            // sorted by position, so a candidate fixed twice deterministically keeps its first position
            List<Map.Entry<Integer, String>> fixed = new ArrayList<>(placement.fixedPositions().entrySet());
            fixed.sort(Map.Entry.comparingByKey());
            for (Map.Entry<Integer, String> e : fixed) {
                int pos = e.getKey();
                if (pos < 1 || pos > limit) continue;
                int r = indexOf(ranked, e.getValue());
                if (r < 0 || held[r]) continue;
                fixedAt[pos - 1] = r;
                held[r] = true;
            }
        }
        int[] counts = new int[caps.slotCount()];
        for (int p = 1; p <= limit; p++) {
            if (fixedAt[p - 1] >= 0) caps.count(fixedAt[p - 1], p, counts);
        }
        int[] det = new int[limit];
        byte[] kind = new byte[limit];
        boolean[] used = new boolean[n];
        int[] detPosition = new int[n];
        int length = 0;
        int firstFree = 0; // every ranked index below it is used or held
        for (int p = 1; p <= limit; p++) {
            int r = fixedAt[p - 1];
            if (r >= 0) {
                kind[p - 1] = FIXED;
            } else {
                while (firstFree < n && (used[firstFree] || held[firstFree])) firstFree++;
                r = -1;
                for (int i = firstFree; i < n; i++) {
                    if (!used[i] && !held[i] && caps.allows(i, p, counts)) {
                        r = i;
                        break;
                    }
                }
                if (r < 0 && firstFree < n) r = firstFree; // no candidate satisfies the caps: relax
                if (r < 0) break;
                used[r] = true;
                caps.count(r, p, counts);
                kind[p - 1] = p <= protectedPositions ? PROTECTED : FREE;
            }
            det[length++] = r;
            detPosition[r] = p;
        }
        for (int p = 1; p <= length; p++) {
            if (kind[p - 1] == PROTECTED) held[det[p - 1]] = true;
        }
        return new Frame(ranked, caps, length, det, kind, held, detPosition);
    }

    private static int indexOf(List<Candidate> ranked, String id) {
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).id().equals(id)) return i;
        }
        return -1;
    }

    /** The deterministic list as candidates. */
    List<Candidate> deterministicList() {
        List<Candidate> out = new ArrayList<>(length);
        for (int p = 0; p < length; p++) out.add(ranked.get(det[p]));
        return out;
    }
}
