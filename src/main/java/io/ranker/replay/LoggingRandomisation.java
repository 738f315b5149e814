package io.ranker.replay;

import io.ranker.explore.ExplorerConfig;
import io.ranker.logging.ImpressionRecord;
import io.ranker.replay.ope.ExaminationCurve;
import io.ranker.replay.ope.ExaminationHarvest;
import io.ranker.replay.ope.ImpressionRecordSamples;
import io.ranker.replay.ope.OpeSettings;

import java.util.List;
import java.util.Map;

/**
 * What a replay learns from the logging policy's own randomisation, and how the replayed logging distribution is
 * handed to the estimators: position bias harvested from the explored lists the replay reproduced
 * ({@link ExaminationHarvest}), and the logging support with its probabilities (for the weak-support diagnostics of
 * the verdict). Kept out of {@link ReplayRun}, which only feeds it.
 */
final class LoggingRandomisation {
    private final ExaminationHarvest harvest;

    LoggingRandomisation(OpeSettings ope) {
        this.harvest = new ExaminationHarvest(ope.bootstrapReplicates(), ope.seed(), ExaminationHarvest.MAX_POSITIONS);
    }

    /**
     * One served list the replay reproduced (only there is the replayed distribution that of the served list).
     *
     * @param deterministicIds what the logging policy alone would have shown (the mixture's deterministic branch)
     */
    void add(List<String> loggedIds, Map<String, Double> rewards, boolean explored, MarginalsView view,
             List<String> deterministicIds, ExplorerConfig cfg) {
        boolean[] clicked = new boolean[loggedIds.size()];
        for (int k = 0; k < clicked.length; k++) clicked[k] = rewards.getOrDefault(loggedIds.get(k), 0.0) > 0;
        harvest.add(loggedIds, clicked, explored ? exploreBranch(view, deterministicIds, cfg) : null, explored);
    }

    ExaminationHarvest harvest() {
        return harvest;
    }

    ExaminationCurve curve() {
        return harvest.curve();
    }

    /**
     * The explore branch's own distribution from the mixture's: P_explore(a at k) = (P(a at k) - (1 - epsilon)
     * [a is the deterministic list's item at k]) / epsilon. An explored list is a draw of that branch alone, so
     * mixing the deterministic branch's near-1 probabilities in would make the harvest's sums of many light and a
     * few very heavy terms.
     */
    static ExaminationHarvest.LoggingDistribution exploreBranch(MarginalsView view, List<String> det, ExplorerConfig cfg) {
        double eps = cfg.explores() ? Math.min(cfg.epsilon(), 1.0) : 1.0;
        return (id, k) -> {
            double p = view.marginal(id, k);
            if (eps >= 1.0) return p;
            boolean isDet = k >= 1 && k <= det.size() && det.get(k - 1).equals(id);
            double explore = (p - (isDet ? 1 - eps : 0.0)) / eps;
            return explore < 1e-12 ? 0.0 : Math.min(1.0, explore);
        };
    }

    /** The replayed logging distribution as the estimators' support, with its probabilities. */
    static ImpressionRecordSamples.LoggingSupport support(MarginalsView view) {
        return new ImpressionRecordSamples.LoggingSupport() {
            @Override
            public boolean supports(String itemId, int position) {
                return view.supports(itemId, position);
            }

            @Override
            public double probability(String itemId, int position) {
                return view.marginal(itemId, position);
            }
        };
    }

    /**
     * P_log(logged prefix 1..k) where the replay did not reproduce the served list: the mixture formula on the logged
     * sequential choice probabilities (exact for a mixture whose deterministic list differs from the served one at
     * the first explored position).
     */
    static double[] approximatePrefix(ImpressionRecord r, ExplorerConfig cfg) {
        double eps = cfg.explores() ? Math.min(cfg.epsilon(), 1.0) : 0.0;
        double[] out = new double[r.items().size()];
        double choice = 1, prop = 1;
        for (int k = 0; k < out.length; k++) {
            ImpressionRecord.ShownItem s = r.items().get(k);
            choice *= s.choiceProb();
            prop *= s.propensity();
            double v = eps * choice + (1 - eps) * (r.explored() ? 0 : 1);
            out[k] = v > 0 && v <= 1 ? v : Math.min(1.0, Math.max(prop, Double.MIN_NORMAL));
        }
        return out;
    }
}
