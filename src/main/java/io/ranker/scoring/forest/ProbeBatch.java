package io.ranker.scoring.forest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A batch of rows that exercises a model's splits from both sides: each value is, by chance, missing (NaN),
 * exactly one of the thresholds the model uses on that column, the float just below or above one, or a
 * random value around the column's threshold range. Evaluating it with two implementations and comparing
 * catches any disagreement about comparisons at the threshold, default directions or the base score.
 * Deterministic for a given model and seed.
 */
public final class ProbeBatch {
    private ProbeBatch() {
    }

    /** A row-major {@code rows x numFeatures} matrix. */
    public static float[] generate(XgboostModelParser.ParsedModel model, int rows, long seed) {
        int cols = model.numFeatures();
        List<float[]> thresholds = thresholdsPerColumn(model);
        Random r = new Random(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float[] t = thresholds.get(j);
                x[i * cols + j] = value(r, t);
            }
        }
        return x;
    }

    private static float value(Random r, float[] t) {
        int kind = r.nextInt(10);
        if (kind < 2) return Float.NaN;
        if (t.length == 0) return (float) r.nextGaussian();
        float pick = t[r.nextInt(t.length)];
        return switch (kind) {
            case 2, 3, 4 -> pick;
            case 5 -> Math.nextDown(pick);
            case 6 -> Math.nextUp(pick);
            default -> {
                float lo = t[0];
                float hi = t[t.length - 1];
                float span = Math.max(hi - lo, 1e-3f);
                yield lo - span * 0.25f + r.nextFloat() * span * 1.5f;
            }
        };
    }

    private static List<float[]> thresholdsPerColumn(XgboostModelParser.ParsedModel model) {
        int cols = model.numFeatures();
        List<java.util.TreeSet<Float>> sets = new ArrayList<>(cols);
        for (int j = 0; j < cols; j++) sets.add(new java.util.TreeSet<>());
        for (ScalarTree tree : model.trees()) {
            for (int i = 0; i < tree.nodeCount(); i++) {
                if (tree.left()[i] > 0 && Float.isFinite(tree.condition()[i])) {
                    sets.get(tree.splitIndex()[i]).add(tree.condition()[i]);
                }
            }
        }
        List<float[]> out = new ArrayList<>(cols);
        for (java.util.TreeSet<Float> s : sets) {
            float[] a = new float[s.size()];
            int k = 0;
            for (Float f : s) a[k++] = f;
            out.add(a);
        }
        return out;
    }
}
