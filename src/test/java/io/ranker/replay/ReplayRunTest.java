package io.ranker.replay;

import io.ranker.core.DomainException;
import io.ranker.explore.ExplorerConfig;
import io.ranker.scoring.ModelManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayRunTest {
    @TempDir
    static Path root;
    static ServedLog served;

    @BeforeAll
    static void serve() throws Exception {
        served = new ServedLog(root);
        served.serve(3000, 1, 1.0);
    }

    @SuppressWarnings("unchecked")
    static List<Double> ci(Map<String, Object> estimate) {
        return (List<Double>) estimate.get("ci95");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> est(ReplayReport report, String which, String name) {
        return (Map<String, Object>) report.estimates(which).get(name);
    }

    @Test
    void unchangedPolicyReproducesTheLoggedListsAndTheirValue() {
        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed")).run(null);
        assertThat(report.reproducedShare()).isEqualTo(1.0);
        assertThat(report.shareChanged()).isEqualTo(0.0);
        double loggedCtr = (double) served.clicks / served.slots;
        for (String name : List.of("ips", "snips", "dr", "switch_dr", "rips")) {
            Map<String, Object> e = est(report, "logged", name);
            assertThat(ci(e).get(0)).as(name).isLessThanOrEqualTo(loggedCtr);
            assertThat(ci(e).get(1)).as(name).isGreaterThanOrEqualTo(loggedCtr);
        }
        // the logging policy replayed as its own target: every weight is 1 up to Monte Carlo error
        assertThat((double) est(report, "logged", "snips").get("value")).isCloseTo(loggedCtr, org.assertj.core.data.Offset.offset(0.003));
        Map<String, Object> ranking = (Map<String, Object>) report.json().get("rankingChanges");
        assertThat((double) ranking.get("kendallTau")).isEqualTo(1.0);
        assertThat(((Map<String, Object>) ranking.get("overlapAtK")).get("10")).isEqualTo(1.0);
        Map<String, Object> input = (Map<String, Object>) report.json().get("input");
        assertThat(input.get("impressionsReplayed")).isEqualTo(3000L);
        assertThat((long) input.get("feedbackEventsJoined")).isEqualTo(served.clicks);
        ReplayReportSchema.assertValid(report.json());
    }

    @Test
    void deterministicCandidateIsEstimatedWithinItsConfidenceInterval() {
        // Candidate: the same model and rules without exploration. Its true CTR is known from the click model.
        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed").withExplorer(ExplorerConfig.DISABLED)).run(null);
        double truth = served.deterministicExpected / served.deterministicSlots;
        for (String name : List.of("snips", "dr")) {
            List<Double> ci = ci(est(report, "candidate", name));
            assertThat(ci.get(0)).as(name + " " + ci + " truth " + truth).isLessThanOrEqualTo(truth);
            assertThat(ci.get(1)).as(name + " " + ci + " truth " + truth).isGreaterThanOrEqualTo(truth);
        }
        assertThat(report.shareChanged()).isGreaterThan(0.1).isLessThan(0.5); // only the ~30% explored lists change
        Map<String, Object> cand = (Map<String, Object>) ((Map<String, Object>) report.json().get("offPolicy")).get("candidate");
        assertThat((double) cand.get("supportCoverage")).isEqualTo(1.0);
        ReplayReportSchema.assertValid(report.json());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCapChangesTheListsAndTheReportSaysSo() throws Exception {
        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed").withPolicy(ServedLog.CAPPED_POLICY)).run(null);
        assertThat(report.shareChanged()).isGreaterThan(0.5);
        Map<String, Object> ranking = (Map<String, Object>) report.json().get("rankingChanges");
        assertThat((double) ranking.get("kendallTau")).isLessThan(0.9);
        assertThat((Map<String, Object>) ranking.get("exposureShift")).containsKeys("category", "brand");
        Path out = root.resolve("out-cap");
        report.write(out);
        String md = Files.readString(out.resolve("replay.md"));
        assertThat(md).contains("Lists changed: **").contains("| SNIPS |").contains("Exposure shift by brand");
        assertThat(Files.readString(out.resolve("replay.json"))).contains("\"shareChanged\"").doesNotContain("NaN");
    }

    @Test
    void candidateModelFromTheRegistryIsScoredOnLoggedFeatures() throws Exception {
        String other = ServedLog.train(new io.ranker.scoring.ModelRegistry(served.dataDir.resolve("models"), ServedLog.FEATURES), 1, 5);
        CandidateModel model = CandidateModel.fromRegistry(served.dataDir.resolve("models"), other, "/modelVersion");
        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed").withModel(model)).run(null);
        assertThat(report.shareChanged()).isGreaterThan(0.5);
        // the new model ranks by f1, which is the true relevance: its estimated CTR beats the logged one
        double candidate = (double) est(report, "candidate", "snips").get("value");
        double logged = (double) est(report, "logged", "snips").get("value");
        assertThat(candidate).isGreaterThan(logged);
        ReplayReportSchema.assertValid(report.json());
    }

    @Test
    void modelWithFeaturesAbsentFromTheLogsIsRefusedWithTheirNames() {
        CandidateModel model = new CandidateModel("v-missing", new byte[]{'{', '}'},
                new ModelManifest(List.of("f0", "user.age", "item.margin"), "binary:logistic", null, null, Map.of()));
        assertThat(model.missingFrom(ServedLog.FEATURES)).containsExactly("user.age", "item.margin");
        assertThatThrownBy(() -> new ReplayRun(served.sources(), ReplayRequest.of("feed").withModel(model)
                .withMaxImpressions(5)).run(null))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("user.age").hasMessageContaining("item.margin")
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.UNPROCESSABLE));
    }

    @Test
    void invalidCandidatePolicyIsRefusedWithPointers() {
        assertThatThrownBy(() -> new ReplayRun(served.sources(), ReplayRequest.of("feed").withPolicy("rules:\n  - id: x\n    type: nope\n")))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> {
                    DomainException p = (DomainException) e;
                    assertThat(p.kind()).isEqualTo(DomainException.Kind.UNPROCESSABLE);
                    assertThat(p.errors()).isNotEmpty();
                    assertThat(p.errors().get(0).pointer()).startsWith("/policyYaml");
                });
    }
}
