package io.ranker.scoring;

import io.ranker.core.Candidate;
import io.ranker.scoring.forest.ForestLimits;
import io.ranker.scoring.forest.TreeEnsemble;
import io.ranker.scoring.forest.XgboostModelParser;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Scoring 500 candidates x 100 features with a 300-tree depth-6 model, single thread, all on the same matrix:
 * <ul>
 * <li>{@code rawInplacePredict}: xgboost4j's {@code inplace_predict} of the prebuilt matrix (nthread=1);</li>
 * <li>{@code javaEnsemble}: the Java tree evaluator ({@link TreeEnsemble}) on the same prebuilt matrix;</li>
 * <li>{@code xgboostScorer}: the serving path (matrix built from the candidates' feature vectors, then the
 * default Java evaluator);</li>
 * <li>{@code xgboostScorerNative}: the serving path with {@code ranking.scoring.evaluator=xgboost}.</li>
 * </ul>
 * Setup checks that the Java and xgboost4j predictions agree within 1e-6.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScoringBench {
    static final int ROWS = 500, COLS = 100, TREES = 300;

    Booster raw;
    XgboostScorer scorer;
    XgboostScorer nativeScorer;
    TreeEnsemble ensemble;
    float[] matrix;
    List<Candidate> candidates;

    @Setup
    public void setup() throws Exception {
        List<String> features = TestModels.names("feat", COLS);
        Random r = new Random(11);
        int trainRows = 4000;
        float[] x = new float[trainRows * COLS];
        float[] y = new float[trainRows];
        for (int i = 0; i < trainRows; i++) {
            double t = 0;
            for (int j = 0; j < COLS; j++) {
                x[i * COLS + j] = r.nextFloat();
                t += Math.sin(3 * x[i * COLS + j] * (j % 7 + 1));
            }
            y[i] = (float) (t + r.nextGaussian());
        }
        Booster trained = new XgboostTrainer().train(new TrainingSet(features, x, y, null, null),
                Map.of("objective", "reg:squarederror", "max_depth", 6, "eta", 0.05), TREES);
        byte[] bytes = trained.toByteArray("ubj");
        scorer = XgboostScorer.load("bench", bytes, ModelManifest.parse(TestModels.manifest(features)), features);
        nativeScorer = XgboostScorer.load("bench", bytes, ModelManifest.parse(TestModels.manifest(features)), features,
                ScoringEvaluator.XGBOOST);
        ensemble = TreeEnsemble.compile(XgboostModelParser.parse(bytes, COLS, ForestLimits.DEFAULT));
        raw = XGBoost.loadModel(bytes);
        raw.setParam("nthread", 1);
        matrix = new float[ROWS * COLS];
        candidates = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) matrix[i * COLS + j] = r.nextInt(20) == 0 ? Float.NaN : r.nextFloat();
            Candidate c = new Candidate("c" + i, null);
            c.setFeatures(Arrays.copyOfRange(matrix, i * COLS, (i + 1) * COLS));
            candidates.add(c);
        }
        float[][] reference = raw.inplace_predict(matrix, ROWS, COLS, Float.NaN);
        double[] ours = ensemble.predict(matrix, ROWS);
        for (int i = 0; i < ROWS; i++) {
            if (Math.abs(ours[i] - reference[i][0]) > 1e-6) {
                throw new IllegalStateException("row " + i + ": java " + ours[i] + " vs xgboost " + reference[i][0]);
            }
        }
    }

    @Benchmark
    public float[][] rawInplacePredict() throws Exception {
        return raw.inplace_predict(matrix, ROWS, COLS, Float.NaN);
    }

    @Benchmark
    public double[] javaEnsemble() {
        return ensemble.predict(matrix, ROWS);
    }

    @Benchmark
    public double[] xgboostScorer() {
        return scorer.score(null, candidates);
    }

    @Benchmark
    public double[] xgboostScorerNative() {
        return nativeScorer.score(null, candidates);
    }
}
