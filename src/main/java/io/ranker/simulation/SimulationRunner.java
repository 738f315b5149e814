package io.ranker.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.OpeReport;
import io.ranker.replay.ope.OpeSettings;
import io.ranker.scoring.XgboostScorer;
import io.ranker.training.LogTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the two simulator experiments end to end and writes {@code <out>/<experiment>.json} and
 * {@code <out>/<experiment>.md}. Logging policy A: retrieval order with the policy rules, explored by a
 * Plackett-Luce mixture over the whole (small) candidate set. Target policy B: the reference model (trained on
 * randomized interactions) with the same rules, served by Plackett-Luce at a lower temperature.
 */
public final class SimulationRunner {

    /** Everything that defines a run; printed into the report so it can be reproduced. */
    public record Settings(int seeds, int impressions, double positionBias, Path out, Path dataDir, Path configDir,
                           int items, int users, int limit, double loggingEpsilon, double loggingTemperature,
                           double targetTemperature, int bootstrap, int rounds, LogTrainer.Objective objective,
                           long firstSeed, Path movieLens) {
        ExplorerConfig logging() {
            return ExplorerConfigParser.parse(loggingYaml(), "/explorer");
        }

        Map<String, Object> loggingYaml() {
            return Map.of("type", "plackett-luce", "epsilon", loggingEpsilon, "temperature", loggingTemperature, "top-k", 0);
        }

        ExplorerConfig target() {
            return ExplorerConfigParser.parse(Map.of("type", "plackett-luce", "epsilon", 1.0, "temperature",
                    targetTemperature, "top-k", 0), "/explorer");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Settings s;
    private final Supplier<SimulatedWorld> worlds;
    private final PrintStream progress;
    private String world = "";

    /**
     * @param worlds builds a fresh world for each experiment: the generated demo world, or the one derived from the
     *               MovieLens ratings ({@code settings.movieLens()} names its directory in the report)
     */
    public SimulationRunner(Settings settings, Supplier<SimulatedWorld> worlds, PrintStream progress) {
        this.s = settings;
        this.worlds = worlds;
        this.progress = progress;
    }

    /** Experiment (a). Returns the JSON document it wrote. */
    public Map<String, Object> runOffPolicy() throws IOException {
        long t0 = System.nanoTime();
        try (PipelineAssembly sim = PipelineAssembly.build(s.dataDir(), s.configDir(), worlds.get(), s.loggingYaml())) {
            ClosedLoop loop = new ClosedLoop(sim, sim.world().clickModel(s.positionBias()), s.limit());
            world = sim.world().description();
            progress.println("world: " + world);
            XgboostScorer reference = ReferenceModel.train(loop, 3000, 7);
            ExplorerConfig a = s.logging(), b = s.target();
            double truthB = loop.trueValue(reference, b).value();
            double truthA = loop.trueValue(null, a).value();
            progress.printf(Locale.ROOT, "true value per slot: logging A %.5f, target B %.5f%n", truthA, truthB);
            List<OpeReport> reports = new ArrayList<>();
            List<Map<String, Object>> perSeed = new ArrayList<>();
            int loggedCovers = 0;
            for (int i = 0; i < s.seeds(); i++) {
                long seed = s.firstSeed() + i;
                ExplorationRun.Result run = ExplorationRun.run(loop, null, a, reference, b, s.impressions(), seed,
                        s.dataDir().resolve("logs-ope-" + seed));
                OpeReport rep = OffPolicyExperiment.estimate(run, a, b,
                        OpeSettings.defaults().withSeed(seed).withReplicates(s.bootstrap()));
                reports.add(rep);
                if (rep.loggedValueCi().covers(truthA)) loggedCovers++;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("seed", seed);
                row.put("clicks", run.clicks());
                row.put("loggedValue", rep.loggedValue());
                Map<String, Object> est = new LinkedHashMap<>();
                rep.estimates().forEach((k, v) -> est.put(k, estimate(v)));
                row.put("estimates", est);
                row.put("ess", rep.ess());
                row.put("maxWeight", rep.maxWeight());
                row.put("supportCoverage", rep.supportCoverage());
                perSeed.add(row);
                progress.printf(Locale.ROOT, "seed %d: snips %.5f [%.5f, %.5f], dr %.5f (truth %.5f), ess %.0f%n", seed,
                        rep.estimates().get("snips").value(), rep.estimates().get("snips").lo(),
                        rep.estimates().get("snips").hi(), rep.estimates().get("dr").value(), truthB, rep.ess());
            }
            List<OffPolicyExperiment.Row> rows = new ArrayList<>(OffPolicyExperiment.summarize(reports, truthB));
            // Reference row: A's own logged CTR taken as B's value, i.e. what no correction at all would report.
            rows.add(OffPolicyExperiment.summarize("logged (uncorrected)",
                    reports.stream().map(OpeReport::loggedValueCi).toList(), truthB));
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("experiment", "ope");
            doc.put("settings", settingsMap());
            doc.put("truth", Map.of("loggingA", truthA, "targetB", truthB));
            doc.put("loggedValueCoversTruthA", (double) loggedCovers / s.seeds());
            doc.put("summary", rows);
            doc.put("seeds", perSeed);
            doc.put("seconds", (System.nanoTime() - t0) / 1e9);
            write("ope", doc, opeMarkdown(rows, truthA, truthB, (double) loggedCovers / s.seeds(), reports,
                    (System.nanoTime() - t0) / 1e9));
            return doc;
        }
    }

    /** Experiment (b). */
    public Map<String, Object> runTraining() throws IOException {
        long t0 = System.nanoTime();
        try (PipelineAssembly sim = PipelineAssembly.build(s.dataDir(), s.configDir(), worlds.get(), s.loggingYaml())) {
            ClosedLoop loop = new ClosedLoop(sim, sim.world().clickModel(s.positionBias()), s.limit());
            world = sim.world().description();
            progress.println("world: " + world);
            ExplorerConfig a = s.logging();
            double truthA = loop.trueValue(null, a).value();
            double truthRetrieval = loop.trueValue(null, ExplorerConfig.DISABLED).value();
            double oracle = loop.trueValue(loop.oracle(), ExplorerConfig.DISABLED).value();
            progress.printf(Locale.ROOT, "true CTR: logging A %.5f, retrieval order without exploration %.5f%n", truthA, truthRetrieval);
            List<Map<String, Object>> perSeed = new ArrayList<>();
            double[] diffs = new double[s.seeds()];
            double sumN = 0, sumW = 0;
            int wins = 0;
            for (int i = 0; i < s.seeds(); i++) {
                long seed = s.firstSeed() + i;
                ExplorationRun.Result run = ExplorationRun.run(loop, null, a, null, null, s.impressions(), seed,
                        s.dataDir().resolve("logs-training-" + seed));
                TrainingExperiment.Outcome o = TrainingExperiment.run(loop, run, s.objective(), s.rounds(), seed);
                diffs[i] = o.difference();
                sumN += o.naive();
                sumW += o.weighted();
                if (o.difference() > 0) wins++;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("seed", seed);
                row.put("naive", o.naive());
                row.put("weighted", o.weighted());
                row.put("difference", o.difference());
                row.put("naiveVersion", o.naiveVersion());
                row.put("weightedVersion", o.weightedVersion());
                row.put("examination", ((Map<?, ?>) o.weightedReport().get("examination")).get("relativeToPosition1"));
                perSeed.add(row);
                progress.printf(Locale.ROOT, "seed %d: naive %.5f, weighted %.5f, difference %+.5f%n", seed, o.naive(),
                        o.weighted(), o.difference());
            }
            double[] ci = tInterval(diffs);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("experiment", "training");
            doc.put("settings", settingsMap());
            doc.put("truth", Map.of("loggingA", truthA, "retrievalOrder", truthRetrieval, "oracle", oracle));
            doc.put("summary", Map.of("naiveMean", sumN / s.seeds(), "weightedMean", sumW / s.seeds(),
                    "differenceMean", mean(diffs), "differenceCi95", List.of(ci[0], ci[1]), "weightedWins", wins,
                    "seeds", s.seeds()));
            doc.put("seeds", perSeed);
            doc.put("seconds", (System.nanoTime() - t0) / 1e9);
            write("training", doc, trainingMarkdown(perSeed, sumN / s.seeds(), sumW / s.seeds(), mean(diffs), ci, wins,
                    truthA, truthRetrieval, oracle, (System.nanoTime() - t0) / 1e9));
            return doc;
        }
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seeds", s.seeds());
        m.put("firstSeed", s.firstSeed());
        m.put("impressions", s.impressions());
        m.put("positionBias", s.positionBias());
        m.put("world", world);
        m.put("items", s.items());
        m.put("users", s.users());
        m.put("limit", s.limit());
        m.put("logging", "retrieval order + rules, plackett-luce epsilon=" + s.loggingEpsilon() + " T=" + s.loggingTemperature() + " over all candidates");
        m.put("target", "reference model + rules, plackett-luce epsilon=1 T=" + s.targetTemperature());
        m.put("bootstrap", s.bootstrap());
        m.put("rounds", s.rounds());
        m.put("objective", s.objective().label);
        return m;
    }

    private void write(String name, Map<String, Object> doc, String markdown) throws IOException {
        Files.createDirectories(s.out());
        JSON.writeValue(s.out().resolve(name + ".json").toFile(), doc);
        Files.writeString(s.out().resolve(name + ".md"), markdown);
        // rendered from the document as written (records such as the summary rows become maps), like the JSON file
        @SuppressWarnings("unchecked")
        Map<String, Object> written = JSON.readValue(s.out().resolve(name + ".json").toFile(), Map.class);
        Files.writeString(s.out().resolve(name + ".html"), "ope".equals(name) ? SimulationHtml.ope(written) : SimulationHtml.training(written));
        progress.println("wrote " + s.out().resolve(name + ".json") + ", " + s.out().resolve(name + ".md") + " and " + s.out().resolve(name + ".html"));
    }

    private String header(String title) {
        return String.format(Locale.ROOT, "### %s%n%n%d seeds (%d..%d) x %d impressions, position bias eta = %s"
                        + " (examination 1/pos^eta), %d slots per list. World: %s.%n%n", title, s.seeds(),
                s.firstSeed(), s.firstSeed() + s.seeds() - 1, s.impressions(), fmt(s.positionBias()), s.limit(), world);
    }

    private String opeMarkdown(List<OffPolicyExperiment.Row> rows, double truthA, double truthB, double loggedCover,
                               List<OpeReport> reports, double seconds) {
        StringBuilder b = new StringBuilder(header("Experiment (a): off-policy estimates of B from A's logs"));
        b.append(String.format(Locale.ROOT, "Logging policy A: retrieval order + rules, Plackett-Luce mixture (epsilon %s, T %s, all candidates)."
                        + " Target B: reference model + rules, Plackett-Luce (epsilon 1, T %s).%n"
                        + "True value per slot (exact, on-policy over all users): A = %.5f, B = %.5f.%n%n",
                fmt(s.loggingEpsilon()), fmt(s.loggingTemperature()), fmt(s.targetTemperature()), truthA, truthB));
        b.append("| estimator | mean estimate | bias | RMSE | 95% CI coverage | mean CI width |\n|---|---|---|---|---|---|\n");
        for (OffPolicyExperiment.Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %.5f | %+.5f | %.5f | %.0f%% (%d/%d) | %.5f |%n", r.estimator(),
                    r.meanEstimate(), r.bias(), r.rmse(), 100 * r.coverage(), Math.round(r.coverage() * r.seeds()), r.seeds(), r.meanWidth()));
        }
        double ess = reports.stream().mapToDouble(OpeReport::ess).average().orElse(Double.NaN);
        double maxW = reports.stream().mapToDouble(OpeReport::maxWeight).max().orElse(Double.NaN);
        b.append(String.format(Locale.ROOT, "%nMean effective sample size %.0f of %d slots; largest weight %.1f."
                        + " Sanity check: the logged CTR's interval covers A's true value in %.0f%% of seeds.%n"
                        + "dm (the reward model alone: position CTR x shrunk item factor, cross-fitted) is a biased reference, and 'logged (uncorrected)' is A's own CTR taken as B's value; switch-DR equals DR when no weight exceeds tau = 100. Run time %.0f s.%n",
                ess, s.impressions() * s.limit(), maxW, 100 * loggedCover, seconds));
        return b.toString();
    }

    private String trainingMarkdown(List<Map<String, Object>> perSeed, double naive, double weighted, double diff,
                                    double[] ci, int wins, double truthA, double truthRetrieval, double oracle,
                                    double seconds) {
        StringBuilder b = new StringBuilder(header("Experiment (b): naive vs propensity-weighted training on the same logs"));
        b.append(String.format(Locale.ROOT, "Both models: %s, %d rounds, trained on 90%% of each seed's log of policy A"
                        + " (retrieval order explored by a Plackett-Luce mixture, epsilon %s); served deterministically with the same rules."
                        + " True CTR per slot computed on-policy over all users. For reference: A itself %.5f,"
                        + " retrieval order without exploration %.5f, oracle (ranking by true relevance, same rules) %.5f.%n%n",
                s.objective().label, s.rounds(), fmt(s.loggingEpsilon()), truthA, truthRetrieval, oracle));
        b.append("| seed | naive CTR | weighted CTR | difference |\n|---|---|---|---|\n");
        for (Map<String, Object> r : perSeed) {
            b.append(String.format(Locale.ROOT, "| %s | %.5f | %.5f | %+.5f |%n", r.get("seed"), (Double) r.get("naive"),
                    (Double) r.get("weighted"), (Double) r.get("difference")));
        }
        b.append(String.format(Locale.ROOT, "| **mean** | **%.5f** | **%.5f** | **%+.5f** (95%% CI [%+.5f, %+.5f]) |%n%n",
                naive, weighted, diff, ci[0], ci[1]));
        b.append(String.format(Locale.ROOT, "Weighted model better in %d of %d seeds (paired t-interval over seeds);"
                        + " it closes %.0f%% of the naive model's gap to the oracle. Run time %.0f s.%n",
                wins, perSeed.size(), 100 * (weighted - naive) / (oracle - naive), seconds));
        return b.toString();
    }

    private static Map<String, Object> estimate(Estimate e) {
        return Map.of("value", e.value(), "ci95", List.of(e.lo(), e.hi()));
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** 95% Student t interval of the mean. */
    static double[] tInterval(double[] x) {
        int n = x.length;
        double m = mean(x);
        if (n < 2) return new double[]{Double.NaN, Double.NaN};
        double ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        double se = Math.sqrt(ss / (n - 1) / n);
        double t = tQuantile975(n - 1);
        return new double[]{m - t * se, m + t * se};
    }

    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    static double tQuantile975(int df) {
        return df <= T975.length ? T975[df - 1] : 1.96 + 2.4 / df;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
