package io.ranker.explore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * P(item at position) under a whole explorer policy for one request, for every candidate and every shown
 * position: the target policy's pi_e(item, position) that off-policy estimators divide by.
 *
 * @param ids          candidate ids in ranked order (column order of {@code byPosition})
 * @param byPosition   {@code [position - 1][candidate]}
 * @param exact        false when Monte Carlo estimated (some) entries
 * @param mcSamples    Monte Carlo samples behind the estimate (0 when exact)
 * @param maxStdError  largest Monte Carlo standard error over all entries (0 when exact)
 */
public record PositionMarginals(List<String> ids, double[][] byPosition, boolean exact, int mcSamples,
                                double maxStdError) {

    /** Number of positions the policy fills for this request. */
    public int positions() {
        return byPosition.length;
    }

    /** P(item at 1-based position); 0 for an unknown item or a position beyond the list. */
    public double propensity(String itemId, int position) {
        if (position < 1 || position > byPosition.length) return 0;
        Integer c = index().get(itemId);
        return c == null ? 0 : byPosition[position - 1][c];
    }

    /** P(item anywhere in the list). */
    public double inList(String itemId) {
        Integer c = index().get(itemId);
        if (c == null) return 0;
        double p = 0;
        for (double[] row : byPosition) p += row[c];
        return p;
    }

    private Map<String, Integer> index() {
        Map<String, Integer> m = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) m.putIfAbsent(ids.get(i), i);
        return m;
    }
}
