package io.ranker.simulation;

import io.ranker.explore.ExplorerConfig;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.core.Candidate;
import io.ranker.replay.ope.ImpressionRecordSamples;
import io.ranker.replay.ope.OffPolicyEstimators;
import io.ranker.replay.ope.OpeReport;
import io.ranker.replay.ope.OpeSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Experiment (a): estimate policy B from the impression log of the exploring policy A with the off-policy
 * estimators, reading the log back as any replay would (logged propensities, joined click feedback), and compare
 * with B's true value.
 *
 * <p>Reward model for the DR family: q(item, k) = click rate of position k x a shrunk per-item factor (the item's
 * clicks over what the position rates predict for its shows), cross-fitted: impressions with an even index use the
 * model fitted on the odd ones and vice versa, so no impression is corrected by a model fitted on itself.
 */
public final class OffPolicyExperiment {
    /** Pseudo-clicks shrinking an item's factor towards 1. */
    static final double ITEM_PRIOR = 2.0;

    private OffPolicyExperiment() {
    }

    public static OpeReport estimate(ExplorationRun.Result run, ExplorerConfig logging, ExplorerConfig target,
                                     OpeSettings settings) {
        Map<String, Map<String, Double>> rewards = new HashMap<>();
        List<ImpressionRecord> records = new ArrayList<>();
        try (Stream<LogEntry> s = LogReader.of(run.logDir()).stream()) {
            for (LogEntry e : (Iterable<LogEntry>) s::iterator) {
                if (e.isFeedback()) {
                    FeedbackEvent f = e.feedback();
                    if ("click".equals(f.type())) {
                        rewards.computeIfAbsent(f.impressionId(), k -> new HashMap<>()).merge(f.itemId(), 1.0, Double::sum);
                    }
                } else if (e.isImpression()) {
                    records.add(e.impression());
                }
            }
        }
        int positions = 0;
        for (ImpressionRecord r : records) positions = Math.max(positions, r.items().size());
        double[][] sum = new double[2][positions + 1], cnt = new double[2][positions + 1];
        for (int i = 0; i < records.size(); i++) {
            ImpressionRecord r = records.get(i);
            Map<String, Double> rw = rewards.getOrDefault(r.impressionId(), Map.of());
            for (ImpressionRecord.ShownItem it : r.items()) {
                sum[i % 2][it.position()] += Math.min(1.0, rw.getOrDefault(it.id(), 0.0));
                cnt[i % 2][it.position()]++;
            }
        }
        // Item factor per fold: the item's clicks over the clicks the position rates predict for its shows, shrunk
        // towards 1 with ITEM_PRIOR pseudo-clicks (most items are shown a few times only).
        List<Map<String, double[]>> items = List.of(new HashMap<>(), new HashMap<>());
        for (int i = 0; i < records.size(); i++) {
            ImpressionRecord r = records.get(i);
            int f = i % 2;
            Map<String, Double> rw = rewards.getOrDefault(r.impressionId(), Map.of());
            for (ImpressionRecord.ShownItem it : r.items()) {
                double[] a = items.get(f).computeIfAbsent(it.id(), k -> new double[2]);
                a[0] += Math.min(1.0, rw.getOrDefault(it.id(), 0.0));
                a[1] += cnt[f][it.position()] > 0 ? sum[f][it.position()] / cnt[f][it.position()] : 0;
            }
        }
        OffPolicyEstimators est = new OffPolicyEstimators(settings);
        for (int i = 0; i < records.size(); i++) {
            ImpressionRecord r = records.get(i);
            ExplorationRun.Target t = run.targets().get(r.impressionId());
            if (t == null) throw new IllegalStateException("no target distribution for logged impression " + r.impressionId());
            int other = 1 - i % 2;
            int maxPos = positions;
            Map<String, double[]> otherItems = items.get(other);
            ImpressionRecordSamples.RewardModel q = (id, pos) -> {
                double base = pos <= maxPos && cnt[other][pos] > 0 ? sum[other][pos] / cnt[other][pos] : 0.0;
                double[] a = otherItems.get(id);
                double factor = a == null ? 1.0 : (a[0] + ITEM_PRIOR) / (a[1] + ITEM_PRIOR);
                return Math.min(1.0, base * factor);
            };
            List<String> ids = t.targetRanked().stream().map(Candidate::id).toList();
            ImpressionRecordSamples.TargetDistribution td = new ImpressionRecordSamples.TargetDistribution() {
                @Override
                public List<String> candidates() { return ids; }

                @Override
                public double marginal(String itemId, int position) { return t.marginals().propensity(itemId, position); }

                @Override
                public double prefixProbability(List<String> itemIds) {
                    return ClosedLoop.prefixProbability(target, t.targetRanked(), itemIds);
                }
            };
            ImpressionRecordSamples.LoggingPrefix prefix = (rec, k) -> ClosedLoop.prefixProbability(logging,
                    t.loggingRanked(), rec.items().subList(0, k).stream().map(ImpressionRecord.ShownItem::id).toList());
            Map<String, Double> rw = new HashMap<>();
            rewards.getOrDefault(r.impressionId(), Map.of()).forEach((k, v) -> rw.put(k, Math.min(1.0, v)));
            est.add(ImpressionRecordSamples.from(r, rw, td, q, (id, pos) -> t.logging().propensity(id, pos) > 0, prefix));
        }
        return est.report();
    }

    /** Per estimator over seeds: bias, RMSE, coverage of the 95% interval, mean interval width. */
    public record Row(String estimator, double meanEstimate, double bias, double rmse, double coverage, double meanWidth,
                      int seeds) {
    }

    public static List<Row> summarize(List<OpeReport> reports, double truth) {
        Map<String, List<io.ranker.replay.ope.Estimate>> byName = new java.util.LinkedHashMap<>();
        for (OpeReport rep : reports) {
            rep.estimates().forEach((name, e) -> byName.computeIfAbsent(name, k -> new ArrayList<>()).add(e));
        }
        List<Row> rows = new ArrayList<>();
        byName.forEach((name, list) -> rows.add(summarize(name, list, truth)));
        return rows;
    }

    /** One row from one estimate per seed. */
    public static Row summarize(String name, List<io.ranker.replay.ope.Estimate> estimates, double truth) {
        double sum = 0, sq = 0, covered = 0, width = 0;
        for (io.ranker.replay.ope.Estimate e : estimates) {
            sum += e.value();
            sq += (e.value() - truth) * (e.value() - truth);
            covered += e.covers(truth) ? 1 : 0;
            width += e.hi() - e.lo();
        }
        int n = estimates.size();
        return new Row(name, sum / n, sum / n - truth, Math.sqrt(sq / n), covered / n, width / n, n);
    }
}
