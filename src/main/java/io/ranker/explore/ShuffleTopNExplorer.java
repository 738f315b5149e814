package io.ranker.explore;

import java.util.Arrays;
import java.util.Set;

/**
 * Uniformly permutes the deterministic list's candidates at the free positions among the top {@code n}
 * (the intervention that estimates position bias: which items are shown does not change, only where).
 * Without binding caps every such candidate is at every such position with probability exactly
 * 1 / (number of those positions); with caps the draw is renormalised over the allowed candidates.
 */
public final class ShuffleTopNExplorer extends StochasticExplorer {
    /** {@code type: shuffle-top-n}: reads {@code top-n}. */
    static final ExplorerType TYPE = new ExplorerType(ExplorerConfig.SHUFFLE_TOP_N, cfg -> new ShuffleTopNExplorer(
            cfg.topN(), cfg.protectedPositions(), cfg.mcSamples(), cfg.exactMaxPool()));

    private final int n;

    public ShuffleTopNExplorer(int n, int protectedPositions, int mcSamples, int exactMaxPool) {
        super(protectedPositions, mcSamples, exactMaxPool);
        if (n < 1) throw new IllegalArgumentException("n < 1");
        this.n = n;
    }

    public ShuffleTopNExplorer(int n) {
        this(n, 0, 2000, DEFAULT_EXACT_MAX_POOL);
    }

    @Override
    public String name() {
        return "shuffle-top-n(n=" + n + ",protected=" + protectedPositions + ")";
    }

    @Override
    SamplingProblem problem(Frame frame, Set<String> notExplorable) {
        int[] positions = freePositions(frame, n);
        if (positions.length < 2) return null; // nothing to permute
        int[] pool = new int[positions.length];
        for (int k = 0; k < positions.length; k++) pool[k] = frame.det[positions[k] - 1];
        Arrays.sort(pool); // pool order is irrelevant to the draw; ranked order keeps it readable
        double[] w = new double[pool.length];
        Arrays.fill(w, 1.0);
        return new SamplingProblem(frame, positions, pool, w);
    }
}
