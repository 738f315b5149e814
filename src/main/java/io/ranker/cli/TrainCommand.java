package io.ranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ranker.training.TrainingSet;
import io.ranker.training.SvmlightRankerTrainer;
import io.ranker.training.SvmlightReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code train}: fits an XGBoost ranker. The input format selects the mode: {@code --format svmlight} reads
 * external LTR data (svmlight + group files). Training from impression logs (a group per impression, labels from
 * feedback, inverse-propensity weights) is a second mode to add beside it: a new {@link Format} constant, its
 * options, and a branch in {@link #call()}. Exit code 0 on success, 2 on bad input.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an XGBoost ranker. --format svmlight: external LTR data, writes DIR/model.json,"
                + " DIR/test-predictions.txt and DIR/metrics.json with test NDCG@1/3/5/10.")
public class TrainCommand implements Callable<Integer> {

    /** Where the training data come from. */
    public enum Format { svmlight }

    @Option(names = "--format", required = true, description = "input format: ${COMPLETION-CANDIDATES}")
    Format format;

    @Option(names = "--train", description = "svmlight training data")
    Path train;

    @Option(names = "--train-groups", description = "group sizes of --train, one per line")
    Path trainGroups;

    @Option(names = "--test", description = "svmlight test data")
    Path test;

    @Option(names = "--test-groups", description = "group sizes of --test")
    Path testGroups;

    @Option(names = "--out", required = true, description = "output directory (model.json, metrics.json)")
    Path out;

    @Option(names = "--rounds", defaultValue = "100", description = "boosting rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--eta", defaultValue = "0.1", description = "learning rate (default ${DEFAULT-VALUE})")
    double eta;

    @Option(names = "--max-depth", defaultValue = "6", description = "tree depth (default ${DEFAULT-VALUE})")
    int maxDepth;

    @Option(names = "--nthread", defaultValue = "1", description = "XGBoost threads (default ${DEFAULT-VALUE})")
    int nthread;

    @Option(names = "--seed", defaultValue = "7", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--expect-min", paramLabel = "METRIC=FLOOR",
            description = "for CI: exit with code 3 when a test metric is below its floor, e.g. ndcg@1=0.55")
    Map<String, Double> expectMin;

    @Override
    public Integer call() throws Exception {
        try {
            switch (format) {
                case svmlight:
                    return trainSvmlight();
                default:
                    throw new IllegalArgumentException("unsupported --format " + format);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private int trainSvmlight() throws Exception {
        require(train, "--train");
        require(trainGroups, "--train-groups");
        require(test, "--test");
        require(testGroups, "--test-groups");
        TrainingSet trainData = SvmlightReader.read(train, trainGroups);
        TrainingSet testData = SvmlightReader.read(test, testGroups);
        SvmlightRankerTrainer.Params d = SvmlightRankerTrainer.Params.defaults();
        SvmlightRankerTrainer.Params params = new SvmlightRankerTrainer.Params(rounds, eta, maxDepth,
                d.minChildWeight(), d.subsample(), d.colsampleByTree(), d.lambda(), nthread, seed);
        SvmlightRankerTrainer.Trained trained = SvmlightRankerTrainer.train(trainData, testData, params);
        Files.createDirectories(out);
        trained.booster().saveModel(out.resolve("model.json").toString());
        // one score per test row, so the metrics can be recomputed independently
        StringBuilder predictions = new StringBuilder();
        for (float score : trained.testScores()) {
            predictions.append(score).append('\n');
        }
        Files.writeString(out.resolve("test-predictions.txt"), predictions);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test", trained.testNdcg());
        metrics.put("train", Map.of("rows", trainData.rowCount(), "queries", trainData.groupSizes().length,
                "features", Math.max(trainData.columnCount(), testData.columnCount())));
        metrics.put("params", Map.of("objective", "rank:ndcg", "rounds", rounds, "eta", eta,
                "max_depth", maxDepth, "min_child_weight", d.minChildWeight(), "subsample", d.subsample(),
                "nthread", nthread, "seed", seed));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("metrics.json").toFile(), metrics);
        trained.testNdcg().forEach((k, v) -> System.out.printf(Locale.ROOT, "test %s = %.4f%n", k, v));
        System.out.println("wrote " + out.resolve("model.json") + " and " + out.resolve("metrics.json"));
        return checkFloors(trained.testNdcg());
    }

    private int checkFloors(Map<String, Double> test) {
        if (expectMin == null) {
            return 0;
        }
        int failures = 0;
        for (Map.Entry<String, Double> floor : expectMin.entrySet()) {
            Double v = test.get(floor.getKey());
            if (v == null) {
                throw new IllegalArgumentException("--expect-min: unknown metric " + floor.getKey()
                        + " (known: " + test.keySet() + ")");
            }
            if (v < floor.getValue()) {
                System.err.printf(Locale.ROOT, "check failed: test %s = %.4f < %.4f%n", floor.getKey(), v,
                        floor.getValue());
                failures++;
            }
        }
        return failures == 0 ? 0 : 3;
    }

    private static void require(Path path, String option) {
        if (path == null) {
            throw new IllegalArgumentException(option + " is required with --format svmlight");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(option + ": file not found: " + path.toAbsolutePath());
        }
    }
}
