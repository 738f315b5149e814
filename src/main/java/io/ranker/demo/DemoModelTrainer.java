package io.ranker.demo;

import io.ranker.training.XgboostTrainer;
import io.ranker.training.TrainingSet;
import io.ranker.scoring.ModelRegistry;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains the demo model at first start from interactions the pipeline generated (the caller supplies them):
 * LambdaMART ({@code rank:ndcg}) when the data has query groups, logistic regression trees otherwise.
 * Deterministic (seed 0, one thread), so the same demo data always yields the same model version.
 */
public final class DemoModelTrainer {
    public static final int ROUNDS = 100;

    private final ModelRegistry registry;
    private final XgboostTrainer trainer = new XgboostTrainer();

    private final int rounds;

    public DemoModelTrainer(ModelRegistry registry) {
        this(registry, ROUNDS);
    }

    public DemoModelTrainer(ModelRegistry registry, int rounds) {
        if (rounds <= 0) throw new IllegalArgumentException("rounds must be positive");
        this.registry = registry;
        this.rounds = rounds;
    }

    /** Trains on the supplied data and registers the result (not activated); returns the new version. */
    public ModelRegistry.RegisteredModel train(Supplier<TrainingSet> demoData) {
        TrainingSet data = demoData.get();
        Map<String, Object> params = data.groupSizes() != null
                ? Map.of("objective", "rank:ndcg", "max_depth", 6, "eta", 0.1, "lambdarank_pair_method", "topk")
                : Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.1);
        try {
            return trainer.trainAndRegister(data, params, rounds, registry, Map.of("source", "generated demo interactions"));
        } catch (XGBoostError e) {
            throw new IllegalStateException("training the demo model failed: " + e.getMessage(), e);
        }
    }
}
