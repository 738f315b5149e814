package io.ranker.replay.ope;

import java.util.ArrayList;
import java.util.List;

/**
 * How the item-position importance weights (target / logging propensity, before clipping) are spread, in fixed bins
 * around 1: the summary figures (ESS, maximum, mean) cannot tell a few huge weights from many moderate ones, or
 * show how much of the log the target ignores (weight 0). The bins are fixed so reports can be compared.
 */
public final class WeightHistogram {
    /** Bin i holds weights in [EDGES[i-1], EDGES[i]) for i >= 1; bin 0 holds exactly 0; the last bin is open above. */
    static final double[] EDGES = {0, 0.25, 0.5, 0.8, 1.25, 2, 4, 10, 100};

    /** One bin: weights in [from, to) ({@code to} null for the open last bin; from = to = 0 for weight exactly 0). */
    public record Bin(double from, Double to, long slots) {
    }

    private final long[] counts = new long[EDGES.length + 1];

    /** Adds one raw weight (finite, >= 0: propensities are validated before). */
    public void add(double w) {
        counts[bin(w)]++;
    }

    static int bin(double w) {
        if (w <= 0) return 0;
        for (int i = 1; i < EDGES.length; i++) if (w < EDGES[i]) return i;
        return EDGES.length;
    }

    public List<Bin> bins() {
        List<Bin> out = new ArrayList<>(counts.length);
        out.add(new Bin(0, 0.0, counts[0]));
        for (int i = 1; i < counts.length; i++) out.add(new Bin(EDGES[i - 1], i < EDGES.length ? EDGES[i] : null, counts[i]));
        return List.copyOf(out);
    }
}
