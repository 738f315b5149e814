package io.ranker.training;

import java.util.List;

/**
 * A dense training matrix for XGBoost: row-major features (NaN = missing), one label per row, and for
 * learning to rank the size of each query group (consecutive rows), optionally with weights.
 *
 * @param featureNames column names, in column order; they become the model manifest's features
 * @param rows         row-major values, {@code rows.length == rowCount() * featureNames.size()}
 * @param labels       one label per row (relevance grade for ranking, 0/1 for binary)
 * @param groupSizes   query group sizes summing to the row count, or null when not ranking
 * @param weights      null, or one weight per group (ranking) or per row (otherwise), e.g. inverse propensities
 */
public record TrainingSet(List<String> featureNames, float[] rows, float[] labels, int[] groupSizes, float[] weights) {

    public TrainingSet {
        featureNames = List.copyOf(featureNames);
        int cols = featureNames.size();
        if (cols == 0) throw new IllegalArgumentException("a training set needs at least one feature");
        if (rows.length % cols != 0) {
            throw new IllegalArgumentException("rows has " + rows.length + " values, not a multiple of " + cols + " features");
        }
        int n = rows.length / cols;
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " rows");
        if (groupSizes != null) {
            long sum = 0;
            for (int g : groupSizes) {
                if (g <= 0) throw new IllegalArgumentException("group sizes must be positive");
                sum += g;
            }
            if (sum != n) throw new IllegalArgumentException("group sizes sum to " + sum + ", not to the " + n + " rows");
        }
        if (weights != null) {
            int expected = groupSizes != null ? groupSizes.length : n;
            if (weights.length != expected) {
                throw new IllegalArgumentException(weights.length + " weights, expected " + expected
                        + (groupSizes != null ? " (one per group)" : " (one per row)"));
            }
        }
    }

    /** Builds a set from one float[] per row. */
    public static TrainingSet of(List<String> featureNames, List<float[]> rows, float[] labels, int[] groupSizes,
                                 float[] weights) {
        int cols = featureNames.size();
        float[] flat = new float[rows.size() * cols];
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            if (r.length != cols) throw new IllegalArgumentException("row " + i + " has " + r.length + " values, expected " + cols);
            System.arraycopy(r, 0, flat, i * cols, cols);
        }
        return new TrainingSet(featureNames, flat, labels, groupSizes, weights);
    }

    public int rowCount() { return labels.length; }

    public int columnCount() { return featureNames.size(); }
}
