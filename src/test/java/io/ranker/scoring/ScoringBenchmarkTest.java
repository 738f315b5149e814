package io.ranker.scoring;

import io.ranker.core.Candidate;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scoring overhead: 500 candidates x 100 features x 300 trees (depth 6), XgboostScorer (matrix built from
 * candidates in schema order, one inplace_predict, scores copied out) against a raw xgboost4j inplace_predict
 * on a prebuilt matrix, both nthread=1. Prints figures; asserts only that both computed the same scores.
 * Run with {@code -Dranker.bench=true}.
 */
@EnabledIfSystemProperty(named = "ranker.bench", matches = "true")
class ScoringBenchmarkTest {
    static final int ROWS = 500, COLS = 100, TREES = 300, ITER = 200;

    @Test
    void scorerVersusRawInplacePredict() throws Exception {
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
        long t0 = System.nanoTime();
        Booster trained = new XgboostTrainer().train(new TrainingSet(features, x, y, null, null),
                Map.of("objective", "reg:squarederror", "max_depth", 6, "eta", 0.05), TREES);
        byte[] bytes = trained.toByteArray("ubj");
        System.out.printf("trained %d trees x depth 6 on %d x %d in %.1f s%n", TREES, trainRows, COLS, (System.nanoTime() - t0) / 1e9);

        // the schema lists the model's features in another order plus extra ones, so the general mapping runs
        List<String> schema = new ArrayList<>(features);
        Collections.shuffle(schema, new Random(5));
        schema.add("extra.a");
        schema.add("extra.b");
        ModelManifest manifest = ModelManifest.parse(TestModels.manifest(features));
        XgboostScorer scorer = XgboostScorer.load("bench", bytes, manifest, schema);
        XgboostScorer prefixScorer = XgboostScorer.load("bench", bytes, manifest, features);
        Booster raw = XGBoost.loadModel(bytes);
        raw.setParam("nthread", 1);

        float[] matrix = new float[ROWS * COLS];
        List<Candidate> shuffled = new ArrayList<>();
        List<Candidate> inOrder = new ArrayList<>();
        int[] pos = new int[COLS];
        for (int j = 0; j < COLS; j++) pos[j] = schema.indexOf(features.get(j));
        for (int i = 0; i < ROWS; i++) {
            float[] schemaVec = new float[schema.size()];
            Arrays.fill(schemaVec, Float.NaN);
            for (int j = 0; j < COLS; j++) {
                float v = r.nextInt(20) == 0 ? Float.NaN : r.nextFloat();
                matrix[i * COLS + j] = v;
                schemaVec[pos[j]] = v;
            }
            Candidate c = new Candidate("c" + i, null);
            c.setFeatures(schemaVec);
            shuffled.add(c);
            Candidate d = new Candidate("d" + i, null);
            d.setFeatures(Arrays.copyOfRange(matrix, i * COLS, (i + 1) * COLS));
            inOrder.add(d);
        }
        float[][] rawOut = raw.inplace_predict(matrix, ROWS, COLS, Float.NaN);
        double[] ours = scorer.score(null, shuffled);
        for (int i = 0; i < ROWS; i++) assertThat(ours[i]).isEqualTo(rawOut[i][0], org.assertj.core.data.Offset.offset(1e-5));

        long[] rawT = new long[ITER], mappedT = new long[ITER], prefixT = new long[ITER];
        for (int warm = 0; warm < 2; warm++) {
            for (int k = 0; k < ITER; k++) {
                // interleaved so drift in machine load hits all three alike
                long a = System.nanoTime();
                raw.inplace_predict(matrix, ROWS, COLS, Float.NaN);
                long b = System.nanoTime();
                scorer.score(null, shuffled);
                long c = System.nanoTime();
                prefixScorer.score(null, inOrder);
                long d = System.nanoTime();
                rawT[k] = b - a;
                mappedT[k] = c - b;
                prefixT[k] = d - c;
            }
        }
        double rawMed = median(rawT), mappedMed = median(mappedT), prefixMed = median(prefixT);
        System.out.printf("raw inplace_predict          p50 %.3f ms  p90 %.3f ms%n", rawMed / 1e6, pct(rawT, 0.9) / 1e6);
        System.out.printf("XgboostScorer (schema map)   p50 %.3f ms  p90 %.3f ms  ratio %.3fx%n",
                mappedMed / 1e6, pct(mappedT, 0.9) / 1e6, mappedMed / rawMed);
        System.out.printf("XgboostScorer (same order)   p50 %.3f ms  p90 %.3f ms  ratio %.3fx%n",
                prefixMed / 1e6, pct(prefixT, 0.9) / 1e6, prefixMed / rawMed);
    }

    static double median(long[] t) {
        return pct(t, 0.5);
    }

    static double pct(long[] t, double p) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(p * s.length))];
    }
}
