package io.ranker.simulation;

import io.ranker.explore.ExplorerConfig;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.XgboostScorer;
import io.ranker.training.LogTrainer;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Experiment (b): from one exploration log, train a model naively (raw click labels) and one with the position
 * bias corrected by inverse propensity weights ({@link LogTrainer.Mode#IPS}); both serve deterministically (their
 * own top-k, same policy rules) and their true click-through rates are computed on-policy.
 */
public final class TrainingExperiment {
    /** One seed's outcome: true CTR per slot of each model, and the model versions. */
    public record Outcome(double naive, double weighted, String naiveVersion, String weightedVersion,
                          Map<String, Object> weightedReport) {
        public double difference() {
            return weighted - naive;
        }
    }

    private TrainingExperiment() {
    }

    public static Outcome run(ClosedLoop loop, ExplorationRun.Result logs, LogTrainer.Objective objective, int rounds,
                              long seed) {
        PipelineAssembly sim = loop.assembly();
        ModelRegistry registry = sim.models();
        LogTrainer.Options base = LogTrainer.Options.defaults(logs.logDir(), PipelineAssembly.SURFACE)
                .withObjective(objective).withRounds(rounds);
        base = new LogTrainer.Options(base.logDirs(), base.surface(), base.fromMillis(), base.toMillis(),
                base.labelWeights(), base.mode(), base.objective(), base.splitAtMillis(), 0.1, base.rounds(),
                base.eta(), 4, seed);
        try {
            // lambdarank_unbiased corrects inside XGBoost: its naive counterpart is plain rank:ndcg
            LogTrainer.Options naiveOptions = base.withMode(LogTrainer.Mode.NAIVE);
            if (objective == LogTrainer.Objective.LAMBDARANK_UNBIASED) {
                naiveOptions = naiveOptions.withObjective(LogTrainer.Objective.RANK_NDCG);
            }
            LogTrainer.Result naive = LogTrainer.train(naiveOptions, registry);
            LogTrainer.Result weighted = LogTrainer.train(base.withMode(LogTrainer.Mode.IPS), registry);
            XgboostScorer n = registry.scorer(naive.model().version());
            XgboostScorer w = registry.scorer(weighted.model().version());
            double vn = loop.trueValue(n, ExplorerConfig.DISABLED).value();
            double vw = loop.trueValue(w, ExplorerConfig.DISABLED).value();
            Map<String, Object> rep = new LinkedHashMap<>(weighted.report());
            return new Outcome(vn, vw, naive.model().version(), weighted.model().version(), rep);
        } catch (XGBoostError e) {
            throw new IllegalStateException("training failed: " + e.getMessage(), e);
        }
    }
}
