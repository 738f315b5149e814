package io.ranker.training;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains an XGBoost ranker ({@code rank:ndcg}, LambdaMART) on external LTR data with {@link XgboostTrainer} and
 * measures test NDCG with {@link Ndcg}. Single-threaded by default and seeded, so a run is reproducible.
 */
public final class SvmlightRankerTrainer {

    /** Hyperparameters (defaults near LightGBM's lambdarank example: 0.1 learning rate, large leaves). */
    public record Params(int rounds, double eta, int maxDepth, double minChildWeight, double subsample,
                         double colsampleByTree, double lambda, int nthread, long seed) {
        public static Params defaults() {
            return new Params(100, 0.1, 6, 5.0, 0.9, 1.0, 1.0, 1, 7L);
        }

        Map<String, Object> toXgboost() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("objective", "rank:ndcg");
            p.put("eval_metric", "ndcg@10");
            p.put("lambdarank_pair_method", "topk");
            p.put("eta", eta);
            p.put("max_depth", maxDepth);
            p.put("min_child_weight", minChildWeight);
            p.put("subsample", subsample);
            p.put("colsample_bytree", colsampleByTree);
            p.put("lambda", lambda);
            p.put("tree_method", "hist");
            p.put("nthread", nthread);
            p.put("seed", seed);
            return p;
        }
    }

    public record Trained(Booster booster, float[] testScores, Map<String, Double> testNdcg) {
    }

    public static final int[] CUTOFFS = {1, 3, 5, 10};

    private SvmlightRankerTrainer() {
    }

    public static Trained train(TrainingSet train, TrainingSet test, Params params) throws XGBoostError {
        return train(train, test, params, null);
    }

    /** As above, with {@code afterRound} told the boosting rounds done after each (the command's progress). */
    public static Trained train(TrainingSet train, TrainingSet test, Params params, java.util.function.IntConsumer afterRound)
            throws XGBoostError {
        int cols = Math.max(train.columnCount(), test.columnCount());
        train = SvmlightReader.withColumns(train, cols);
        test = SvmlightReader.withColumns(test, cols);
        Booster booster = new XgboostTrainer().train(train, params.toXgboost(), params.rounds(), afterRound);
        DMatrix dtest = new DMatrix(test.rows(), test.rowCount(), test.columnCount(), Float.NaN);
        try {
            dtest.setFeatureNames(test.featureNames().toArray(String[]::new));
            float[][] predicted = booster.predict(dtest);
            float[] scores = new float[test.rowCount()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = predicted[i][0];
            }
            return new Trained(booster, scores, ndcgReport(test, scores));
        } finally {
            dtest.dispose();
        }
    }

    /** {"ndcg@1": .., "ndcg@3": .., "ndcg@5": .., "ndcg@10": ..}. */
    public static Map<String, Double> ndcgReport(TrainingSet data, float[] scores) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k : CUTOFFS) {
            out.put("ndcg@" + k, Ndcg.mean(k, data.labels(), scores, data.groupSizes()));
        }
        return out;
    }
}
