package io.ranker.scoring;

import io.ranker.scoring.forest.ForestLimits;
import io.ranker.scoring.forest.TreeEnsemble;
import io.ranker.scoring.forest.XgboostModelParser;
import io.ranker.training.SvmlightRankerTrainer;
import io.ranker.training.SvmlightReader;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java tree evaluator predicts what xgboost4j's {@code inplace_predict} predicts, within 1e-6, for models
 * saved as JSON and as UBJ: a demo-like LambdaMART model and a binary:logistic model, a rank:ndcg model
 * trained on LightGBM's lambdarank sample (skipped when the dataset is absent), 10,000 random inputs with
 * about 20% NaN (plus infinities, negative zeros and values exactly at, just below and just above split
 * thresholds), reg:squarederror and the other objectives the evaluator covers, DART weights and deep
 * lossguide trees (the linked layout). The largest difference seen is printed.
 */
class JavaEvaluatorEquivalenceTest {
    static final double TOLERANCE = 1e-6;
    static double largestDifference;
    static long compared;

    @AfterAll
    static void report() {
        System.out.printf("Java evaluator vs inplace_predict: %d predictions compared, largest absolute difference %.3g%n",
                compared, largestDifference);
    }

    /** Scores the same rows with both implementations, from the JSON and the UBJ file. */
    static void assertEquivalent(Booster booster, float[] rows, int n, int cols) throws Exception {
        booster.setParam("nthread", 1);
        float[][] reference = booster.inplace_predict(rows, n, cols, Float.NaN);
        for (String format : List.of("json", "ubj")) {
            TreeEnsemble ensemble = TreeEnsemble.compile(XgboostModelParser.parse(booster.toByteArray(format), cols, ForestLimits.DEFAULT));
            double[] ours = ensemble.predict(rows, n);
            for (int i = 0; i < n; i++) {
                double diff = Math.abs(ours[i] - reference[i][0]);
                largestDifference = Math.max(largestDifference, diff);
                assertThat(diff).as("%s row %d: java %s, xgboost %s", format, i, ours[i], reference[i][0])
                        .isLessThanOrEqualTo(TOLERANCE);
            }
            compared += n;
        }
    }

    /** ~20% NaN, some infinities and negative zeros, the rest uniform in [-0.25, 1.25). */
    static float[] randomRows(int n, int cols, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * cols];
        for (int i = 0; i < x.length; i++) {
            int k = r.nextInt(100);
            x[i] = k < 20 ? Float.NaN : k == 20 ? Float.POSITIVE_INFINITY : k == 21 ? Float.NEGATIVE_INFINITY
                    : k == 22 ? -0.0f : r.nextFloat() * 1.5f - 0.25f;
        }
        return x;
    }

    /** Queries of 10 items, relevance from two features with noise: what the demo trains on, in small. */
    static TrainingSet rankingData(List<String> features, int queries, long seed) {
        Random r = new Random(seed);
        int per = 10;
        int cols = features.size();
        float[] x = new float[queries * per * cols];
        float[] y = new float[queries * per];
        int[] groups = new int[queries];
        for (int q = 0; q < queries; q++) {
            groups[q] = per;
            for (int i = 0; i < per; i++) {
                int row = q * per + i;
                for (int j = 0; j < cols; j++) x[row * cols + j] = r.nextInt(8) == 0 ? Float.NaN : r.nextFloat();
                float signal = (Float.isNaN(x[row * cols]) ? 0.5f : x[row * cols]) + 0.5f * (Float.isNaN(x[row * cols + 1]) ? 0 : x[row * cols + 1]);
                y[row] = Math.min(3, Math.max(0, Math.round(signal * 2 + (float) r.nextGaussian() * 0.3f)));
            }
        }
        return new TrainingSet(features, x, y, groups, null);
    }

    @Test
    void demoLikeLambdaMartAndBinaryModelsOnTenThousandRandomInputs() throws Exception {
        List<String> features = TestModels.names("f", 12);
        Booster lambdaMart = new XgboostTrainer().train(rankingData(features, 200, 3),
                Map.of("objective", "rank:ndcg", "max_depth", 6, "eta", 0.1, "lambdarank_pair_method", "topk"), 60);
        assertEquivalent(lambdaMart, randomRows(10_000, 12, 17), 10_000, 12);
        Booster binary = TestModels.trainBinary(features, 2000, 40, 6);
        assertEquivalent(binary, randomRows(10_000, 12, 18), 10_000, 12);
    }

    @Test
    void splitThresholdsThemselvesAndTheirNeighbours() throws Exception {
        List<String> features = TestModels.names("f", 5);
        Booster booster = TestModels.trainBinary(features, 1000, 30, 5);
        XgboostModelParser.ParsedModel parsed = XgboostModelParser.parse(booster.toByteArray("ubj"), 5, ForestLimits.DEFAULT);
        float[] rows = io.ranker.scoring.forest.ProbeBatch.generate(parsed, 5000, 99);
        assertEquivalent(booster, rows, 5000, 5);
    }

    @Test
    void objectivesDartAndDeepLossguideTrees() throws Exception {
        int cols = 8;
        List<String> features = TestModels.names("f", cols);
        TrainingSet data = TestModels.binaryData(features, 1000, 5);
        float[] positive = data.labels().clone();
        for (int i = 0; i < positive.length; i++) positive[i] += 0.5f;
        TrainingSet counts = new TrainingSet(features, data.rows(), positive, null, null);
        float[] rows = randomRows(2000, cols, 23);
        for (String objective : List.of("binary:logistic", "reg:squarederror", "reg:logistic", "binary:logitraw",
                "binary:hinge", "count:poisson", "reg:gamma", "reg:tweedie", "reg:absoluteerror")) {
            boolean needsPositive = objective.startsWith("count") || objective.equals("reg:gamma") || objective.equals("reg:tweedie");
            // every objective depthwise; DART weights and deep lossguide trees on one objective per link function
            boolean allVariants = List.of("binary:logistic", "reg:squarederror", "count:poisson").contains(objective);
            for (String variant : allVariants ? List.of("depthwise", "dart", "lossguide") : List.of("depthwise")) {
                Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 6));
                if (variant.equals("dart")) params.putAll(Map.of("rate_drop", 0.3, "skip_drop", 0.0));
                if (variant.equals("lossguide")) params.putAll(Map.of("grow_policy", "lossguide", "max_depth", 0, "max_leaves", 96));
                Booster b = new XgboostTrainer().train(needsPositive ? counts : data, params, 12);
                assertEquivalent(b, rows, 2000, cols);
                XgboostModelParser.ParsedModel parsed = XgboostModelParser.parse(b.toByteArray("ubj"), cols, ForestLimits.DEFAULT);
                if (variant.equals("dart")) {
                    assertThat(parsed.treeWeights()).as("DART weights of " + objective).isNotNull();
                }
                b.dispose();
            }
        }
    }

    @Test
    void lightgbmLambdarankSample() throws Exception {
        Path dir = Path.of(System.getProperty("ranker.datasets",
                System.getenv().getOrDefault("RANKER_DATASETS", "../shared/datasets")), "lightgbm-lambdarank");
        Assumptions.assumeTrue(Files.isDirectory(dir), "dataset absent: " + dir.toAbsolutePath());
        TrainingSet train = SvmlightReader.read(dir.resolve("rank.train"), dir.resolve("rank.train.query"));
        TrainingSet test = SvmlightReader.read(dir.resolve("rank.test"), dir.resolve("rank.test.query"));
        SvmlightRankerTrainer.Params defaults = SvmlightRankerTrainer.Params.defaults();
        SvmlightRankerTrainer.Trained trained = SvmlightRankerTrainer.train(train, test,
                new SvmlightRankerTrainer.Params(40, defaults.eta(), defaults.maxDepth(), defaults.minChildWeight(),
                        defaults.subsample(), defaults.colsampleByTree(), defaults.lambda(), 1, defaults.seed()));
        int cols = Math.max(train.columnCount(), test.columnCount());
        TrainingSet wideTest = SvmlightReader.withColumns(test, cols);
        assertEquivalent(trained.booster(), wideTest.rows(), wideTest.rowCount(), cols);
        assertEquivalent(trained.booster(), randomRows(2000, cols, 29), 2000, cols);
    }
}
