package io.ranker.replay;

import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.replay.ope.ImpressionRecordSamples;
import io.ranker.replay.ope.ImpressionSample;
import io.ranker.replay.ope.OffPolicyEstimators;
import io.ranker.replay.ope.OpeSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay throughput on one thread, candidate sets of 100, lists of 10: the whole replay (read, decode, re-rank
 * twice, position distributions of both policies, estimators) per explorer type, and the estimators alone. Prints
 * the figures; asserts only generous floors (shared CI machines).
 */
@Tag("bench") // wall-clock floor: mvn -Pbench test, not the default suite
class ReplayThroughputTest {

    @Test
    @SuppressWarnings("unchecked")
    void replayThroughputOnCandidateSetsOf100(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        int n = 4000;
        served.serve(n, 21, 1.0);
        ReplaySources sources = served.sources();
        Map<String, ExplorerConfig> explorers = new java.util.LinkedHashMap<>();
        explorers.put("none (deterministic candidate)", ExplorerConfig.DISABLED);
        explorers.put("shuffle-top-5, epsilon 0.2", ExplorerConfigParser.parse(Map.of("type", "shuffle-top-n", "top-n", 5, "epsilon", 0.2), "/e"));
        explorers.put("plackett-luce top-k 10 (exact), epsilon 0.2", ExplorerConfigParser.parse(Map.of("type", "plackett-luce", "top-k", 10, "epsilon", 0.2, "protected-positions", 1), "/e"));
        explorers.put("plackett-luce top-k 20 (Monte Carlo 500), epsilon 0.3 (as logged)", served.explorerConfig);
        for (int warm = 0; warm < 2; warm++) {
            for (var e : explorers.entrySet()) {
                // the logging policy is replayed with the same explorer, so both runs cost the same
                ReplayReport r = new ReplayRun(sources.withExplorer(e.getValue()), ReplayRequest.of("feed")).run(null);
                Map<String, Object> perf = (Map<String, Object>) r.json().get("performance");
                if (warm == 1) {
                    // per CPU second of the replay thread (one core) and per wall second (includes waiting for a core)
                    System.out.printf(Locale.ROOT, "REPLAY %-70s %8.0f impressions/cpu-s %8.0f impressions/s  (wall: read+decode %.2fs, rerank logged %.2fs, rerank candidate %.2fs, estimators %.2fs, total %.2fs; cpu %.2fs)%n",
                            e.getKey(), (double) perf.get("impressionsPerCpuSecond"), (double) perf.get("impressionsPerSecond"),
                            perf.get("readSeconds"), perf.get("rerankLoggedSeconds"), perf.get("rerankCandidateSeconds"),
                            perf.get("estimatorSeconds"), perf.get("seconds"), perf.get("cpuSeconds"));
                }
                assertThat((double) perf.get("impressionsPerSecond")).isGreaterThan(50);
            }
        }

        // the estimators alone, on samples built from the same records (target: uniform over the logged top 20)
        List<ImpressionRecord> records;
        try (var s = LogReader.of(sources.logDirs()).stream()) {
            records = s.filter(LogEntry::isImpression).map(LogEntry::impression).toList();
        }
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            OffPolicyEstimators ope = new OffPolicyEstimators(OpeSettings.defaults().withReplicates(200));
            AttributeRewardModel model = new AttributeRewardModel();
            long t = System.nanoTime();
            for (ImpressionRecord r : records) {
                List<String> ids = r.candidates().stream().map(ImpressionRecord.LoggedCandidate::id).toList();
                Map<String, Map<String, Object>> attrs = new java.util.HashMap<>();
                for (ImpressionRecord.LoggedCandidate c : r.candidates()) attrs.put(c.id(), c.attributes());
                model.forRequest(r.impressionId(), attrs);
                ImpressionRecordSamples.TargetDistribution target = new ImpressionRecordSamples.TargetDistribution() {
                    public List<String> candidates() { return ids; }
                    public double marginal(String itemId, int position) { return 0.01; }
                };
                ImpressionSample sample = ImpressionRecordSamples.from(r, Map.of(), target, model, (id, k) -> true, null);
                ope.add(sample);
            }
            double rate = records.size() / ((System.nanoTime() - t) / 1e9);
            best = Math.max(best, rate);
        }
        System.out.printf(Locale.ROOT, "REPLAY estimators only (IPS, SNIPS, DM, DR, switch-DR, 200 bootstrap replicates, support, 100 candidates x 10 positions): %.0f impressions/s%n", best);
        assertThat(best).isGreaterThan(1000);
    }
}
