package io.ranker.replay;

import io.ranker.explore.PositionMarginals;
import io.ranker.logging.ImpressionRecord;
import io.ranker.replay.ope.ImpressionRecordSamples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy's position distribution for one request with its id index built once ({@link PositionMarginals}
 * looks ids up by building a map per call, too slow for the estimators' candidate x position loop).
 */
final class MarginalsView {
    private final PositionMarginals marginals;
    private final Map<String, Integer> index;
    /** Column of {@code ids[i]} as {@link #index} gives it (the first one when an id repeats). */
    private final int[] column;

    MarginalsView(PositionMarginals marginals) {
        this.marginals = marginals;
        List<String> ids = marginals.ids();
        this.index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) index.putIfAbsent(ids.get(i), i);
        this.column = new int[ids.size()];
        for (int i = 0; i < column.length; i++) column[i] = index.get(ids.get(i));
    }

    double marginal(String itemId, int position) {
        if (position < 1 || position > marginals.byPosition().length) return 0;
        Integer c = index.get(itemId);
        return c == null ? 0 : marginals.byPosition()[position - 1][c];
    }

    boolean supports(String itemId, int position) {
        return marginal(itemId, position) > 0;
    }

    /**
     * As the estimators' target.
     *
     * @param shownOverride when not null, its shown slots take their logged propensity (weight 1)
     * @param prefix        when not null, the prefix probabilities to report (else the view's policy cannot say)
     */
    ImpressionRecordSamples.TargetDistribution asTarget(ImpressionRecord shownOverride, double[] prefix) {
        Map<String, Double> override = null;
        if (shownOverride != null) {
            override = new HashMap<>();
            for (ImpressionRecord.ShownItem s : shownOverride.items()) override.put(s.id() + "\u0000" + s.position(), s.propensity());
        }
        Map<String, Double> fixed = override;
        // the same overrides as arrays, for the estimators' candidate x position loop (no key string per lookup)
        List<ImpressionRecord.ShownItem> shown = shownOverride == null ? List.of() : shownOverride.items();
        String[] fixedIds = new String[shown.size()];
        int[] fixedPositions = new int[shown.size()];
        double[] fixedP = new double[shown.size()];
        for (int k = 0; k < fixedIds.length; k++) {
            fixedIds[k] = String.valueOf(shown.get(k).id());
            fixedPositions[k] = shown.get(k).position();
            fixedP[k] = shown.get(k).propensity();
        }
        return new ImpressionRecordSamples.TargetDistribution() {
            @Override
            public List<String> candidates() {
                return marginals.ids();
            }

            @Override
            public double marginal(String itemId, int position) {
                if (fixed != null) {
                    Double p = fixed.get(itemId + "\u0000" + position);
                    if (p != null) return p;
                }
                return MarginalsView.this.marginal(itemId, position);
            }

            @Override
            public double marginalAt(int i, String itemId, int position) {
                for (int k = fixedIds.length - 1; k >= 0; k--) { // the last one wins, as in the map
                    if (fixedPositions[k] == position && fixedIds[k].equals(String.valueOf(itemId))) return fixedP[k];
                }
                if (position < 1 || position > marginals.byPosition().length) return 0;
                return marginals.byPosition()[position - 1][column[i]];
            }

            @Override
            public double prefixProbability(List<String> itemIds) {
                return prefix != null ? prefix[itemIds.size() - 1] : Double.NaN;
            }
        };
    }

    /** With the candidate's prefix probabilities of the logged list. */
    ImpressionRecordSamples.TargetDistribution asTarget(double[] prefix) {
        return asTarget(null, prefix);
    }
}
