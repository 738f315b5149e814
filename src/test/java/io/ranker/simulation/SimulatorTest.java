package io.ranker.simulation;

import io.ranker.demo.DemoWorld;
import io.ranker.cli.RankerCli;
import io.ranker.core.Exploration;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.core.Candidate;
import io.ranker.replay.ope.OpeReport;
import io.ranker.replay.ope.OpeSettings;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.XgboostScorer;
import io.ranker.training.LogTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The simulator on a small setup (600 items, 150 users, 5 slots): its true values agree with Monte Carlo of the click
 * model, off-policy estimates of B from A's logs cover B's true value, and training from a simulated log registers a
 * model that ranks better than random.
 */
class SimulatorTest {
    static final Map<String, Object> LOGGING = Map.of("type", "plackett-luce", "epsilon", 0.3, "temperature", 1.0, "top-k", 0);
    static final ExplorerConfig A = ExplorerConfigParser.parse(LOGGING, "/explorer");
    static final ExplorerConfig B = ExplorerConfigParser.parse(
            Map.of("type", "plackett-luce", "epsilon", 1.0, "temperature", 0.5, "top-k", 0), "/explorer");

    @TempDir
    static Path dir;
    static PipelineAssembly sim;
    static ClosedLoop loop;

    @BeforeAll
    static void assemble() {
        sim = PipelineAssembly.build(dir.resolve("data"), Path.of("ranking-config"), new DemoWorld(600, 150), LOGGING);
        loop = new ClosedLoop(sim, sim.world().clickModel(1.0), 5);
    }

    @AfterAll
    static void close() {
        sim.close();
    }

    @Test
    void trueValueAgreesWithMonteCarloOfTheClickModel() {
        double exact = loop.trueValue(null, A).value();
        SplittableRandom r = new SplittableRandom(3);
        sim.useScorer(null);
        sim.useExplorer(A);
        long clicks = 0, slots = 0;
        int reps = 12;
        for (int u = 0; u < sim.userIds().size(); u++) {
            String user = sim.userIds().get(u);
            for (int k = 0; k < reps; k++) {
                ClosedLoop.Served s = loop.serve(user, "mc-" + u + "-" + k, r.nextLong(), false);
                List<Candidate> shown = s.shown();
                for (int i = 0; i < shown.size(); i++) {
                    if (r.nextDouble() < loop.truth().clickProbability(user, shown.get(i).item(), i + 1)) clicks++;
                }
                slots += shown.size();
            }
        }
        double mc = (double) clicks / slots;
        double se = Math.sqrt(mc * (1 - mc) / slots);
        assertThat(mc).isCloseTo(exact, within(4 * se));
        // and position bias matters: the same lists without examination decay would be worth clearly more
        double flat = new ClosedLoop(sim, sim.world().clickModel(0.0), 5).trueValue(null, A).value();
        assertThat(flat).isGreaterThan(exact + 8 * se);
    }

    @Test
    void listLevelProbabilityMatchesTheLoggedSequentialChoices() {
        sim.useScorer(null);
        sim.useExplorer(A);
        int checked = 0;
        for (int i = 0; i < 200 && checked < 20; i++) {
            ClosedLoop.Served s = loop.serve(sim.userIds().get(i % sim.userIds().size()), "pl-" + i, 77L * i + 1, false);
            Exploration ex = s.result().exploration();
            List<String> ids = ex.shown().stream().map(Candidate::id).toList();
            List<String> det = s.call().ranked().subList(0, ids.size()).stream().map(Candidate::id).toList();
            if (!ex.explored() || ids.equals(det)) continue;
            double product = 1;
            for (double c : ex.choiceProb()) product *= c;
            assertThat(ClosedLoop.prefixProbability(A, s.call().ranked(), ids)).isCloseTo(A.epsilon() * product, within(1e-12));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    @Test
    void offPolicyEstimatesOfBFromALogsCoverTheTruth() {
        XgboostScorer reference = ReferenceModel.train(loop, 800, 7);
        double truth = loop.trueValue(reference, B).value();
        double loggingTruth = loop.trueValue(null, A).value();
        assertThat(Math.abs(truth - loggingTruth)).as("B must differ from A for the test to mean anything").isGreaterThan(0.02);
        int seeds = 3, snipsCovers = 0, drCovers = 0;
        double snipsSum = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            ExplorationRun.Result run = ExplorationRun.run(loop, null, A, reference, B, 500, seed, dir.resolve("ope-" + seed));
            OpeReport rep = OffPolicyExperiment.estimate(run, A, B, OpeSettings.defaults().withSeed(seed).withReplicates(300));
            assertThat(rep.impressions()).isEqualTo(500);
            assertThat(rep.supportCoverage()).isEqualTo(1.0, within(1e-9));
            if (rep.estimates().get("snips").covers(truth)) snipsCovers++;
            if (rep.estimates().get("dr").covers(truth)) drCovers++;
            snipsSum += rep.estimates().get("snips").value();
            // the logged value estimates A, not B: the estimators really re-weight
            assertThat(rep.loggedValueCi().covers(truth)).isFalse();
        }
        assertThat(snipsCovers).isGreaterThanOrEqualTo(2);
        assertThat(drCovers).isGreaterThanOrEqualTo(2);
        assertThat(snipsSum / seeds).isCloseTo(truth, within(0.25 * Math.abs(truth - loggingTruth)));
    }

    @Test
    void trainingFromASimulatedLogRegistersAModelThatBeatsRandom() throws Exception {
        ExplorationRun.Result run = ExplorationRun.run(loop, null, A, null, null, 1500, 11, dir.resolve("train-logs"));
        Path data = dir.resolve("train-data");
        Path out = dir.resolve("train-out");
        int code = RankerCli.execute("train", "--data-dir", data.toString(), "--log-dir", run.logDir().toString(),
                "--surface", PipelineAssembly.SURFACE, "--ips", "--objective", "reg:squarederror", "--rounds", "40",
                "--test-fraction", "0.3", "--out", out.toString());
        assertThat(code).isZero();
        Map<?, ?> report = new com.fasterxml.jackson.databind.ObjectMapper().readValue(out.resolve("metrics.json").toFile(), Map.class);
        String version = (String) report.get("modelVersion");
        assertThat(Files.isDirectory(data.resolve("models").resolve(version))).isTrue();
        assertThat(report.get("active")).isEqualTo(false);
        Map<?, ?> test = (Map<?, ?>) report.get("test");
        Map<?, ?> raw = (Map<?, ?>) test.get("loggedFeedback");
        double model = ((Number) ((Map<?, ?>) raw.get("model")).get("ndcg@5")).doubleValue();
        double random = ((Number) ((Map<?, ?>) raw.get("random")).get("ndcg@5")).doubleValue();
        // labels are the logged (position-biased) clicks on 5 shown items, so random is a high bar: ask for a clear margin
        assertThat(model).isGreaterThan(random + 0.01);
        @SuppressWarnings("unchecked")
        Map<String, Object> ope = (Map<String, Object>) ((Map<?, ?>) report.get("offPolicy")).get("newModel");
        assertThat(ope).containsKeys("ips", "snips", "dr");
        // the true CTR of the registered model beats the logging policy's
        XgboostScorer trained = new ModelRegistry(data.resolve("models"), sim.featureNames()).scorer(version);
        assertThat(loop.trueValue(trained, ExplorerConfig.DISABLED).value()).isGreaterThan(loop.trueValue(null, A).value());
        // bad input: an unknown surface is refused with exit code 2
        assertThat(RankerCli.execute("train", "--data-dir", data.toString(), "--log-dir", run.logDir().toString(),
                "--surface", "nope")).isEqualTo(2);
    }

    @Test
    void examinationEstimateFromLoggedPropensitiesRecoversThePositionBias() {
        ExplorationRun.Result run = ExplorationRun.run(loop, null, A, null, null, 1500, 21, dir.resolve("exam-logs"));
        var read = io.ranker.training.LoggedLists.read(run.logDir(), PipelineAssembly.SURFACE, Long.MIN_VALUE,
                Long.MAX_VALUE, Map.of("click", 1.0));
        var exam = io.ranker.training.ExaminationEstimate.fromLogs(read.lists());
        // truth: 1/k; the estimate is noisy (1,500 lists), so a loose band, but it must fall with position
        assertThat(exam.at(2)).isBetween(0.3, 0.75);
        assertThat(exam.at(5)).isBetween(0.08, 0.35);
        assertThat(exam.at(5)).isLessThan(exam.at(2));
        assertThat(LogTrainer.Objective.parse("lambdarank_unbiased")).isEqualTo(LogTrainer.Objective.LAMBDARANK_UNBIASED);
    }
}
