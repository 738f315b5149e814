package io.ranker.simulation;

import io.ranker.training.LogTrainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Both simulator experiments on a small MovieLens world (300 movies, 80 users, 2 seeds x 300 impressions; skipped
 * when the dataset is absent): the reports carry every estimator with its interval and the on-policy truth, and
 * SNIPS lands near B's true value.
 */
class MovieLensSimulationTest {
    @TempDir
    Path dir;

    private SimulationRunner runner(String name) {
        Assumptions.assumeTrue(Files.isRegularFile(MovieLensWorldTest.ML.resolve("ratings.csv")),
                "dataset absent: " + MovieLensWorldTest.ML.toAbsolutePath());
        SimulationRunner.Settings s = new SimulationRunner.Settings(2, 300, 1.0, dir.resolve(name), dir.resolve(name + "-work"),
                Path.of("ranking-config"), 300, 80, 5, 0.3, 1.0, 0.5, 200, 20, LogTrainer.Objective.parse("reg:squarederror"),
                1, MovieLensWorldTest.ML);
        return new SimulationRunner(s, () -> new MovieLensWorld(MovieLensWorldTest.ML, 300, 80, 42), new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void offPolicyExperimentReportsEstimatorsWithIntervalsAndTheTruth() throws Exception {
        Map<String, Object> doc = runner("ope").runOffPolicy();
        assertThat((String) ((Map<String, Object>) doc.get("settings")).get("world")).startsWith("MovieLens");
        Map<String, Double> truth = (Map<String, Double>) doc.get("truth");
        double b = truth.get("targetB");
        assertThat(b).isBetween(0.05, 0.6);
        assertThat(truth.get("loggingA")).isBetween(0.05, 0.6);
        List<OffPolicyExperiment.Row> rows = (List<OffPolicyExperiment.Row>) doc.get("summary");
        assertThat(rows).extracting(OffPolicyExperiment.Row::estimator)
                .contains("ips", "snips", "dr", "switch_dr", "rips", "dm", "logged (uncorrected)");
        for (OffPolicyExperiment.Row r : rows) {
            assertThat(r.seeds()).isEqualTo(2);
            assertThat(r.meanWidth()).isGreaterThan(0);
        }
        OffPolicyExperiment.Row snips = rows.stream().filter(r -> r.estimator().equals("snips")).findFirst().orElseThrow();
        assertThat(snips.meanEstimate()).isCloseTo(b, within(0.05));
        for (Map<String, Object> seed : (List<Map<String, Object>>) doc.get("seeds")) {
            Map<String, Map<String, Object>> est = (Map<String, Map<String, Object>>) seed.get("estimates");
            assertThat(est).containsKeys("ips", "snips", "dr");
            for (Map<String, Object> e : est.values()) {
                List<Double> ci = (List<Double>) e.get("ci95");
                assertThat(ci.get(0)).isLessThanOrEqualTo((Double) e.get("value"));
                assertThat(ci.get(1)).isGreaterThanOrEqualTo((Double) e.get("value"));
            }
        }
        assertThat(Files.readString(dir.resolve("ope").resolve("ope.md"))).contains("MovieLens", "| snips |");
        // the HTML page draws every seed's snips interval against the truth
        String html = Files.readString(dir.resolve("ope").resolve("ope.html"));
        assertThat(html).contains("<svg").contains("data-label=\"seed 1\"").contains("data-label=\"seed 2\"");
        Map<String, Object> snips1 = (Map<String, Object>) ((Map<String, Object>) ((List<Map<String, Object>>) doc.get("seeds")).get(0).get("estimates")).get("snips");
        assertThat(html).contains("data-value=\"" + snips1.get("value") + "\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingExperimentComparesTrueClickRates() throws Exception {
        Map<String, Object> doc = runner("training").runTraining();
        Map<String, Double> truth = (Map<String, Double>) doc.get("truth");
        // ranking by the true relevance must beat the retrieval order, or the world's truth would not be ranked on
        assertThat(truth.get("oracle")).isGreaterThan(truth.get("retrievalOrder") + 0.01);
        for (Map<String, Object> seed : (List<Map<String, Object>>) doc.get("seeds")) {
            assertThat((Double) seed.get("naive")).isBetween(0.05, truth.get("oracle"));
            assertThat((Double) seed.get("weighted")).isBetween(0.05, truth.get("oracle"));
        }
        assertThat(((Map<String, Object>) doc.get("summary")).get("differenceCi95")).asList().hasSize(2);
        assertThat(Files.readString(dir.resolve("training").resolve("training.html"))).contains("<svg").contains("seed 1 · weighted");
    }
}
