package io.ranker.training;

/**
 * A learning-to-rank dataset in memory: dense row-major features (NaN = missing), a label per row, and the
 * query groups as consecutive row counts (rows of one query are adjacent, as in svmlight + .query files).
 */
public record RankingDataset(float[] features, int rows, int cols, float[] labels, int[] groups) {

    public RankingDataset {
        if (features.length != (long) rows * cols || labels.length != rows) {
            throw new IllegalArgumentException("shape mismatch: " + features.length + " values, " + rows
                    + " rows x " + cols + " cols, " + labels.length + " labels");
        }
        long sum = 0;
        for (int g : groups) {
            if (g <= 0) {
                throw new IllegalArgumentException("group sizes must be > 0, got " + g);
            }
            sum += g;
        }
        if (sum != rows) {
            throw new IllegalArgumentException("group sizes sum to " + sum + " but the data has " + rows + " rows");
        }
    }

    /** The same data with {@code newCols} columns (extra columns are missing), so train and test align. */
    public RankingDataset widen(int newCols) {
        if (newCols == cols) {
            return this;
        }
        if (newCols < cols) {
            throw new IllegalArgumentException("cannot narrow " + cols + " columns to " + newCols);
        }
        float[] out = new float[rows * newCols];
        java.util.Arrays.fill(out, Float.NaN);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(features, r * cols, out, r * newCols, cols);
        }
        return new RankingDataset(out, rows, newCols, labels, groups);
    }
}
