package io.ranker.scoring;

import io.ranker.scoring.forest.ForestLimits;
import io.ranker.scoring.forest.MalformedModelException;
import io.ranker.scoring.forest.ProbeBatch;
import io.ranker.scoring.forest.TreeEnsemble;
import io.ranker.scoring.forest.UnsupportedModelException;
import io.ranker.scoring.forest.XgboostModelParser;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * What a model file must pass before and right after xgboost4j loads it. Before: the file is parsed and every
 * tree proven walkable in Java ({@link XgboostModelParser}), because XGBoost's native loader and predictor
 * trust the file and a bad index crashes the whole JVM. After: xgboost4j and the Java evaluator predict a
 * probe batch with NaNs ({@link ProbeBatch}) and must agree within {@link #TOLERANCE}, so the Java evaluator
 * serves exactly what XGBoost would. A model the Java evaluator does not cover (categorical splits, gblinear,
 * an unknown objective) passes the structural checks and is served by xgboost4j.
 */
final class ModelStructureGate {
    /** Largest difference allowed between the two evaluations, absolute (relative above 1). */
    static final double TOLERANCE = 1e-6;
    static final int PROBE_ROWS = 256;

    private final XgboostModelParser.ParsedModel parsed;
    private final TreeEnsemble ensemble;
    private final String unsupported;

    private ModelStructureGate(XgboostModelParser.ParsedModel parsed, TreeEnsemble ensemble, String unsupported) {
        this.parsed = parsed;
        this.ensemble = ensemble;
        this.unsupported = unsupported;
    }

    /**
     * Parses and validates without native code.
     *
     * @throws ModelRejectedException the file is malformed: native code must never see it
     */
    static ModelStructureGate check(byte[] modelBytes, int manifestFeatures) {
        XgboostModelParser.ParsedModel parsed;
        try {
            parsed = XgboostModelParser.parse(modelBytes, manifestFeatures, ForestLimits.DEFAULT);
        } catch (MalformedModelException e) {
            throw new ModelRejectedException(e.problems());
        }
        try {
            return new ModelStructureGate(parsed, TreeEnsemble.compile(parsed), null);
        } catch (UnsupportedModelException e) {
            return new ModelStructureGate(parsed, null, e.getMessage());
        } catch (MalformedModelException e) {
            throw new ModelRejectedException(e.problems());
        }
    }

    /** The compiled Java evaluator, or null when the model needs xgboost4j. */
    TreeEnsemble ensemble() { return ensemble; }

    /** Why the Java evaluator does not cover this model, or null. */
    String unsupported() { return unsupported; }

    /**
     * Compares xgboost4j's predictions with the Java evaluator's on the probe batch (nothing to compare when
     * the Java evaluator does not cover the model).
     *
     * @throws ModelRejectedException the two disagree: the file means something else to XGBoost than it
     *                                appears to, so it is not served at all
     */
    void compareOnProbe(Booster booster) throws XGBoostError {
        if (ensemble == null) return;
        int cols = parsed.numFeatures();
        float[] probe = ProbeBatch.generate(parsed, PROBE_ROWS, 20261126L);
        float[][] reference = booster.inplace_predict(probe, PROBE_ROWS, cols, Float.NaN);
        double[] ours = ensemble.predict(probe, PROBE_ROWS);
        for (int i = 0; i < PROBE_ROWS; i++) {
            double ref = reference[i][0];
            double diff = Math.abs(ours[i] - ref);
            if (!(diff <= TOLERANCE * Math.max(1.0, Math.abs(ref)))) {
                throw new ModelRejectedException("the model's trees evaluate differently in Java (" + ours[i]
                        + ") and in xgboost (" + ref + ") on probe row " + i + " of " + PROBE_ROWS
                        + "; refusing a model whose meaning is ambiguous");
            }
        }
    }
}
