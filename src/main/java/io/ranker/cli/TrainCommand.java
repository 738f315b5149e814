package io.ranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ranker.replay.ReplaySources;
import io.ranker.scoring.ModelRegistry;
import io.ranker.training.LogTrainer;
import io.ranker.core.DomainException;
import io.ranker.logging.LogLayout;
import io.ranker.progress.Progress;
import io.ranker.training.LoggedLists;
import io.ranker.training.TrainingSet;
import io.ranker.training.SvmlightRankerTrainer;
import io.ranker.training.SvmlightReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
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
        description = {"Train an XGBoost ranker.",
                "From impression logs: --data-dir DIR --surface S [--from ISO --to ISO] [--label-weights click=1,conversion=3]"
                        + " [--ips|--naive] [--objective rank:ndcg|lambdarank_unbiased|reg:squarederror]"
                        + " [--split-at ISO | --test-fraction 0.2]: one group per logged list of shown items (only impressions"
                        + " that logged their candidate set), labels from feedback, position bias corrected with inverse"
                        + " propensity weights (position bias harvested from the logging policy's own randomisation);"
                        + " reports held-out NDCG (against position-debiased labels) and the new model replayed against"
                        + " the logging policy with the replay's verdict; registers the model in DIR/models (not active).",
                "--format svmlight: external LTR data, writes DIR/model.json,"
                + " DIR/test-predictions.txt and DIR/metrics.json with test NDCG@1/3/5/10."})
public class TrainCommand implements Callable<Integer> {

    /** Where the training data come from. */
    public enum Format { svmlight, logs }

    @Option(names = "--format", description = "input format: ${COMPLETION-CANDIDATES} (default: logs with --data-dir)")
    Format format;

    @Option(names = "--data-dir", defaultValue = "${RANKING_DATA_DIR}",
            description = "logs mode: the data directory (DIR/logs read, DIR/models written; default: $RANKING_DATA_DIR)")
    Path dataDir;

    @Option(names = "--log-dir", description = "logs mode: a log root, every replica under it read (default DATA-DIR/logs);"
            + " repeat it to read several roots as one log")
    List<Path> logDirs;

    @Option(names = "--config-dir", defaultValue = "${RANKING_CONFIG_DIR:-ranking-config}",
            description = "logs mode: ranking configuration (the surface's explorer in pipelines/, its rules in policies/),"
                    + " for the replays that estimate position bias and evaluate the model (default: $RANKING_CONFIG_DIR or 'ranking-config')")
    Path configDir;

    @Option(names = "--surface", description = "logs mode: surface whose impressions to train on")
    String surface;

    @Option(names = "--from", description = "logs mode: first impression time (ISO-8601, e.g. 2026-11-01T00:00:00Z)")
    String from;

    @Option(names = "--to", description = "logs mode: end of the range (exclusive, ISO-8601)")
    String to;

    @Option(names = "--label-weights", split = ",", paramLabel = "TYPE=WEIGHT",
            description = "logs mode: label weight per feedback type (default click=1,conversion=3)")
    Map<String, Double> labelWeights;

    @Option(names = "--ips", description = "logs mode: correct position bias with inverse propensity weights (default)")
    boolean ips;

    @Option(names = "--naive", description = "logs mode: raw feedback labels, no bias correction")
    boolean naive;

    @Option(names = "--objective", defaultValue = "rank:ndcg",
            description = "logs mode: rank:ndcg | lambdarank_unbiased | reg:squarederror (default ${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--split-at", description = "logs mode: impressions from this time on are the test period (ISO-8601)")
    String splitAt;

    @Option(names = "--test-fraction", defaultValue = "0.2",
            description = "logs mode: without --split-at, the latest share of impressions held out (default ${DEFAULT-VALUE})")
    double testFraction;

    @Option(names = "--train", description = "svmlight training data")
    Path train;

    @Option(names = "--train-groups", description = "group sizes of --train, one per line")
    Path trainGroups;

    @Option(names = "--test", description = "svmlight test data")
    Path test;

    @Option(names = "--test-groups", description = "group sizes of --test")
    Path testGroups;

    @Option(names = "--out", description = "output directory (svmlight: model.json, metrics.json; logs: metrics.json)")
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
            Format f = format != null ? format : dataDir != null || logDirs != null ? Format.logs : null;
            if (f == null) throw new IllegalArgumentException("give --data-dir (training from logs) or --format svmlight");
            switch (f) {
                case svmlight:
                    return trainSvmlight();
                case logs:
                    return trainFromLogs();
                default:
                    throw new IllegalArgumentException("unsupported --format " + format);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private int trainFromLogs() throws Exception {
        if (dataDir == null) throw new IllegalArgumentException("--data-dir is required to train from logs");
        if (surface == null) throw new IllegalArgumentException("--surface is required to train from logs");
        if (ips && naive) throw new IllegalArgumentException("--ips and --naive exclude each other");
        List<Path> logs = logDirs != null && !logDirs.isEmpty() ? logDirs : List.of(dataDir.resolve("logs"));
        try {
            LogLayout.require(logs);
        } catch (DomainException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        LogTrainer.Options d = LogTrainer.Options.defaults(logs.get(0), surface);
        LogTrainer.Options o = new LogTrainer.Options(logs, surface, instant(from, "--from", Long.MIN_VALUE),
                instant(to, "--to", Long.MAX_VALUE), labelWeights != null ? labelWeights : d.labelWeights(),
                naive ? LogTrainer.Mode.NAIVE : LogTrainer.Mode.IPS, LogTrainer.Objective.parse(objective),
                instant(splitAt, "--split-at", Long.MIN_VALUE), testFraction, rounds, eta, maxDepth, seed);
        // The registry checks the model against the features the logs were served with.
        List<String> features = LoggedLists.read(logs, surface, o.fromMillis(), o.toMillis(), Map.of(), false).featureNames();
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no impression of surface '" + surface + "' with a logged candidate set in " + logs
                    + " (raise ranking.log.candidate-sample-rate to log candidate sets)");
        }
        // Replays need the surface's pipeline (its explorer); logs of a surface configured elsewhere (the simulator's)
        // fall back to the estimators that need no replay, and the report says so.
        ReplaySources sources = CliValidation.surfaces(configDir).contains(surface)
                ? ReplaySources.standard(dataDir, configDir, surface).withLogDirs(logs) : null;
        if (sources == null) {
            System.err.println("train: no pipeline for surface '" + surface + "' in " + configDir.resolve("pipelines")
                    + ": position bias and the off-policy value are estimated without replaying the logging policy");
        }
        LogTrainer.Result r;
        try (Progress progress = Progress.start("train", "rounds", o.rounds())) {
            r = LogTrainer.train(o, new ModelRegistry(dataDir.resolve("models"), features), sources, done -> progress.update(done, done));
            progress.finish();
        }
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.report());
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("metrics.json"), json);
        }
        System.out.println(json);
        System.out.println("registered model " + r.model().version() + " in " + dataDir.resolve("models")
                + " (not active: promote it with the models API)");
        return 0;
    }

    private static long instant(String iso, String option, long absent) {
        if (iso == null) return absent;
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": not an ISO-8601 instant: " + iso);
        }
    }

    private int trainSvmlight() throws Exception {
        if (out == null) throw new IllegalArgumentException("--out is required with --format svmlight");
        require(train, "--train");
        require(trainGroups, "--train-groups");
        require(test, "--test");
        require(testGroups, "--test-groups");
        TrainingSet trainData = SvmlightReader.read(train, trainGroups);
        TrainingSet testData = SvmlightReader.read(test, testGroups);
        SvmlightRankerTrainer.Params d = SvmlightRankerTrainer.Params.defaults();
        SvmlightRankerTrainer.Params params = new SvmlightRankerTrainer.Params(rounds, eta, maxDepth,
                d.minChildWeight(), d.subsample(), d.colsampleByTree(), d.lambda(), nthread, seed);
        SvmlightRankerTrainer.Trained trained;
        try (Progress progress = Progress.start("train", "rounds", params.rounds())) {
            trained = SvmlightRankerTrainer.train(trainData, testData, params, done -> progress.update(done, done));
            progress.finish();
        }
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
        String problem = InputFiles.fileProblem(path);
        if (problem != null) throw new IllegalArgumentException(option + " " + path.toAbsolutePath() + ": " + problem);
    }
}
