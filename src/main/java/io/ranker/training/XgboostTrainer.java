package io.ranker.training;

import io.ranker.scoring.ModelManifest;
import io.ranker.scoring.ModelRegistry;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Trains an XGBoost model with xgboost4j on a dense {@link TrainingSet} and stores it in the model registry
 * as a new, non-active version (activation is a separate, audited release step). Deterministic by default:
 * a fixed seed, one thread and the {@code hist} method give the same model bytes, hence the same version,
 * for the same data.
 *
 * <p>Parameters are XGBoost's own ({@code objective}, {@code max_depth}, {@code eta},
 * {@code lambdarank_unbiased}, ...); {@link #DEFAULTS} fills what the caller leaves out.
 */
public final class XgboostTrainer {

    public static final Map<String, Object> DEFAULTS = Map.of(
            "tree_method", "hist",
            "seed", 0,
            "nthread", 1,
            "verbosity", 0,
            "max_depth", 6,
            "eta", 0.1);

    /** Trains {@code rounds} boosting rounds; the objective decides whether group sizes are required. */
    public Booster train(TrainingSet data, Map<String, Object> params, int rounds) throws XGBoostError {
        return train(data, params, rounds, null);
    }

    /**
     * As {@link #train(TrainingSet, Map, int)}, calling {@code afterRound} with the number of rounds done after each
     * one (progress of a long training); the model is the same byte for byte (XgboostTrainerTest checks it).
     */
    public Booster train(TrainingSet data, Map<String, Object> params, int rounds, IntConsumer afterRound) throws XGBoostError {
        if (rounds <= 0) throw new IllegalArgumentException("rounds must be positive");
        Map<String, Object> p = effectiveParams(params);
        String objective = String.valueOf(p.get("objective"));
        if (objective.startsWith("rank:") && data.groupSizes() == null) {
            throw new IllegalArgumentException("objective " + objective + " needs query group sizes");
        }
        DMatrix matrix = new DMatrix(data.rows(), data.rowCount(), data.columnCount(), Float.NaN);
        try {
            matrix.setLabel(data.labels());
            if (data.groupSizes() != null) matrix.setGroup(data.groupSizes());
            if (data.weights() != null) matrix.setWeight(data.weights());
            matrix.setFeatureNames(data.featureNames().toArray(String[]::new));
            if (afterRound == null) return XGBoost.train(matrix, p, rounds, new HashMap<>(), null, null);
            // one round at a time, continuing the same booster: xgboost4j has no per-round callback
            Booster booster = XGBoost.train(matrix, p, 1, new HashMap<>(), null, null);
            afterRound.accept(1);
            for (int r = 2; r <= rounds; r++) {
                booster = XGBoost.train(matrix, p, 1, new HashMap<>(), null, null, null, 0, booster);
                afterRound.accept(r);
            }
            return booster;
        } finally {
            matrix.dispose();
        }
    }

    /**
     * Trains and registers the model (UBJ plus manifest) as a new non-active version.
     *
     * @param trainingInfo extra facts for the manifest's {@code training} section (data source, metrics, ...)
     */
    public ModelRegistry.RegisteredModel trainAndRegister(TrainingSet data, Map<String, Object> params, int rounds,
                                                          ModelRegistry registry, Map<String, Object> trainingInfo)
            throws XGBoostError {
        return trainAndRegister(data, params, rounds, registry, trainingInfo, null);
    }

    /** As above, with {@code afterRound} told the rounds done after each (null: none). */
    public ModelRegistry.RegisteredModel trainAndRegister(TrainingSet data, Map<String, Object> params, int rounds,
                                                          ModelRegistry registry, Map<String, Object> trainingInfo,
                                                          IntConsumer afterRound) throws XGBoostError {
        Booster booster = train(data, params, rounds, afterRound);
        try {
            byte[] model = booster.toByteArray("ubj");
            Map<String, Object> p = effectiveParams(params);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("trainer", "xgboost4j");
            info.put("rows", data.rowCount());
            if (data.groupSizes() != null) info.put("groups", data.groupSizes().length);
            info.put("weighted", data.weights() != null);
            info.put("rounds", rounds);
            info.put("params", new TreeMap<>(p));
            if (trainingInfo != null) info.putAll(trainingInfo);
            ModelManifest manifest = new ModelManifest(data.featureNames(), String.valueOf(p.get("objective")),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "ubj", info);
            return registry.register(model, manifest.toJson());
        } finally {
            booster.dispose();
        }
    }

    static Map<String, Object> effectiveParams(Map<String, Object> params) {
        Map<String, Object> p = new HashMap<>(DEFAULTS);
        if (params != null) p.putAll(params);
        p.putIfAbsent("objective", "binary:logistic");
        return p;
    }
}
