package io.ranker.explore;

import io.ranker.core.Candidate;

import java.util.Set;

/**
 * Plackett-Luce exploration: every free position (not fixed, not protected) is drawn sequentially without
 * replacement from softmax(score / temperature) over the pool, renormalised over the candidates the caps
 * allow. The pool is the deterministic list's free candidates plus the next best explorable candidates in
 * policy order, {@code topK} in all (0: every candidate), so exploration stays near the top of the ranking.
 * Over-exposed candidates ({@code notExplorable}) enter the pool only when the deterministic list has them.
 */
public final class PlackettLuceExplorer extends StochasticExplorer {
    /** {@code type: plackett-luce}: reads {@code temperature} and {@code top-k}. */
    static final ExplorerType TYPE = new ExplorerType(ExplorerConfig.PLACKETT_LUCE, cfg -> new PlackettLuceExplorer(
            cfg.temperature(), cfg.topK(), cfg.protectedPositions(), cfg.mcSamples(), cfg.exactMaxPool()));

    private final double temperature;
    private final int topK;

    public PlackettLuceExplorer(double temperature, int topK, int protectedPositions, int mcSamples,
                                int exactMaxPool) {
        super(protectedPositions, mcSamples, exactMaxPool);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number");
        }
        if (topK < 0) throw new IllegalArgumentException("topK < 0");
        this.temperature = temperature;
        this.topK = topK;
    }

    public PlackettLuceExplorer(double temperature, int topK) {
        this(temperature, topK, 0, 2000, DEFAULT_EXACT_MAX_POOL);
    }

    @Override
    public String name() {
        return "plackett-luce(T=" + temperature + ",topK=" + topK + ",protected=" + protectedPositions + ")";
    }

    @Override
    SamplingProblem problem(Frame frame, Set<String> notExplorable) {
        int[] positions = freePositions(frame, Integer.MAX_VALUE);
        if (positions.length == 0) return null;
        int n = frame.ranked.size();
        boolean[] inPool = new boolean[n];
        int size = 0;
        for (int p : positions) {
            inPool[frame.det[p - 1]] = true;
            size++;
        }
        int wanted = topK == 0 ? n : Math.max(topK, size);
        for (int r = 0; r < n && size < wanted; r++) {
            if (inPool[r] || frame.held[r]) continue;
            if (!notExplorable.isEmpty() && notExplorable.contains(frame.ranked.get(r).id())) continue;
            inPool[r] = true;
            size++;
        }
        int[] pool = new int[size];
        double[] scores = new double[size];
        int i = 0;
        for (int r = 0; r < n; r++) {
            if (!inPool[r]) continue;
            Candidate c = frame.ranked.get(r);
            pool[i] = r;
            scores[i++] = c.score();
        }
        return new SamplingProblem(frame, positions, pool, SamplingProblem.softmaxWeights(scores, temperature));
    }
}
