package io.ranker.scoring;

import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;
import ml.dmlc.xgboost4j.java.Booster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small, real XGBoost models for tests, trained on data with a known rule. */
final class TestModels {
    private TestModels() {
    }

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(prefix + i);
        return out;
    }

    /** label = 1 when f0 + f1 > 1 (other columns are noise); NaN sprinkled in. */
    static TrainingSet binaryData(List<String> features, int rows, long seed) {
        Random r = new Random(seed);
        int cols = features.size();
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) x[i * cols + j] = r.nextFloat();
            y[i] = x[i * cols] + x[i * cols + 1] > 1 ? 1 : 0;
            if (cols > 2 && r.nextInt(10) == 0) x[i * cols + 2] = Float.NaN;
        }
        return new TrainingSet(features, x, y, null, null);
    }

    static Booster trainBinary(List<String> features, int rows, int rounds, int depth) throws Exception {
        return new XgboostTrainer().train(binaryData(features, rows, 1),
                Map.of("objective", "binary:logistic", "max_depth", depth), rounds);
    }

    static byte[] manifest(List<String> features) {
        return new ModelManifest(features, "binary:logistic", "2026-11-26T00:00:00Z", null, Map.of()).toJson();
    }
}
