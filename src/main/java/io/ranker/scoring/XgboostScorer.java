package io.ranker.scoring;

import io.ranker.core.Scorer;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.scoring.forest.TreeEnsemble;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One loaded XGBoost model (saved by xgboost4j or Python XGBoost as JSON or UBJ) scoring a request's
 * candidates with a single batched {@code inplace_predict}: one dense row-major float matrix (rows =
 * candidates, columns = the manifest's features, NaN = missing) built from {@link Candidate#features()}.
 *
 * <p>Thread safety: one instance serves all request threads concurrently. xgboost4j's
 * {@code Booster.inplace_predict} is documented as "thread-safe prediction" (it is not synchronized, unlike
 * {@code Booster.predict(DMatrix)}); it goes through the C API {@code XGBoosterPredictFromDense}, which keeps
 * its output in thread-local storage, and XGBoost's own tests run inplace prediction from 10 threads on one
 * booster. Everything that mutates the booster ({@code setParam("nthread", 1)} and the learner's lazy
 * configuration, triggered here by a warm-up prediction) happens in {@link #load} before the instance is
 * published. The booster is never disposed explicitly, because a request may still be scoring with it after
 * a swap; its finalizer frees the native memory once it is unreachable.
 *
 * <p>Validation happens at load time, so a broken or mismatched model is refused before it can serve. The
 * model file is first parsed and proven structurally sound in Java ({@link ModelStructureGate}): native code
 * never sees a split on a column the model lacks or a tree that loops. Scoring then uses the Java tree
 * evaluator ({@link TreeEnsemble}) when it covers the model and {@link ScoringEvaluator#JAVA} is chosen; its
 * predictions are checked against xgboost4j's on a probe batch at load. xgboost4j serves the other models.
 */
public final class XgboostScorer implements Scorer {
    private final String version;
    private final ModelManifest manifest;
    private final Booster booster;
    private final int cols;
    /** For each model column, the index of that feature in the schema-ordered candidate vector. */
    private final int[] schemaIndex;
    /** Model columns are exactly the first {@code cols} schema features: rows are copied wholesale. */
    private final boolean schemaPrefix;
    /** The Java evaluator that scores, or null when xgboost4j does. */
    private final TreeEnsemble ensemble;

    private XgboostScorer(String version, ModelManifest manifest, Booster booster, int[] schemaIndex, TreeEnsemble ensemble) {
        this.version = version;
        this.manifest = manifest;
        this.booster = booster;
        this.ensemble = ensemble;
        this.cols = schemaIndex.length;
        this.schemaIndex = schemaIndex;
        boolean prefix = true;
        for (int j = 0; j < cols; j++) prefix &= schemaIndex[j] == j;
        this.schemaPrefix = prefix;
    }

    /** Loads and checks a model; scores with the Java evaluator where it covers the model. */
    public static XgboostScorer load(String version, byte[] modelBytes, ModelManifest manifest,
                                     List<String> schemaFeatures) {
        return load(version, modelBytes, manifest, schemaFeatures, ScoringEvaluator.JAVA);
    }

    /**
     * Loads and checks a model.
     *
     * @param schemaFeatures the feature schema's names, in the order of {@link Candidate#features()}
     * @param evaluator      which implementation scores (xgboost4j serves what the Java evaluator does not cover)
     * @throws ModelRejectedException not an XGBoost model, a malformed tree, a manifest that disagrees with the
     *                                model file, features the schema does not provide, or Java and xgboost
     *                                predictions that disagree on the probe batch
     */
    public static XgboostScorer load(String version, byte[] modelBytes, ModelManifest manifest,
                                     List<String> schemaFeatures, ScoringEvaluator evaluator) {
        int[] index = mapToSchema(manifest.features(), schemaFeatures);
        detectFormat(modelBytes);
        // Cheap structural check before native parsing: every JSON/UBJ model names its learner and booster.
        // It turns most wrong files into a clear message instead of whatever the native parser makes of them.
        if (indexOf(modelBytes, LEARNER) < 0 || indexOf(modelBytes, GRADIENT_BOOSTER) < 0) {
            throw new ModelRejectedException("not an XGBoost model: no 'learner'/'gradient_booster' section "
                    + "(expected a file saved by save_model('model.json'|'model.ubj') or Booster.saveModel)");
        }
        // Structural validation in Java before any native call: XGBoost's loader and predictor trust the file.
        ModelStructureGate gate = ModelStructureGate.check(modelBytes, manifest.features().size());
        Booster booster;
        try {
            booster = XGBoost.loadModel(modelBytes);
        } catch (XGBoostError | java.io.IOException | RuntimeException e) {
            throw new ModelRejectedException("not a loadable XGBoost model: " + firstLine(e.getMessage()));
        }
        try {
            checkAgainstManifest(booster, manifest);
            // One thread per call: requests are already parallel, and OpenMP fan-out per request only adds
            // contention on a shared box.
            booster.setParam("nthread", 1);
            float[][] probe = booster.inplace_predict(nanRow(index.length), 1, index.length, Float.NaN);
            if (probe.length != 1 || probe[0].length != 1) {
                throw new ModelRejectedException("model outputs " + (probe.length == 0 ? 0 : probe[0].length)
                        + " values per row; a ranking model must output exactly one score per candidate");
            }
            gate.compareOnProbe(booster);
        } catch (XGBoostError e) {
            booster.dispose();
            throw new ModelRejectedException("model failed a test prediction: " + firstLine(e.getMessage()));
        } catch (ModelRejectedException e) {
            booster.dispose();
            throw e;
        }
        return new XgboostScorer(version, manifest, booster, index,
                evaluator == ScoringEvaluator.JAVA ? gate.ensemble() : null);
    }

    /** Detects JSON vs UBJ from the first bytes; both start with '{' but JSON continues with whitespace or '"'. */
    static String detectFormat(byte[] bytes) {
        if (bytes == null || bytes.length < 2 || bytes[0] != '{') {
            throw new ModelRejectedException("not an XGBoost model: expected a JSON or UBJ model file "
                    + "(saved with save_model('model.json'|'model.ubj') or Booster.saveModel)");
        }
        int i = 1;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) i++;
        return i < bytes.length && (bytes[i] == '"' || bytes[i] == '}') ? "json" : "ubj";
    }

    private static int[] mapToSchema(List<String> modelFeatures, List<String> schemaFeatures) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < schemaFeatures.size(); i++) positions.putIfAbsent(schemaFeatures.get(i), i);
        int[] index = new int[modelFeatures.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < index.length; j++) {
            Integer p = positions.get(modelFeatures.get(j));
            if (p == null) missing.add(modelFeatures.get(j));
            else index[j] = p;
        }
        if (!missing.isEmpty()) {
            throw new ModelRejectedException("model needs " + missing.size() + " feature(s) the feature schema "
                    + "does not provide: " + missing + " (add them to ranking-config/features.yaml or retrain "
                    + "without them; schema has " + schemaFeatures.size() + " features)");
        }
        return index;
    }

    private static void checkAgainstManifest(Booster booster, ModelManifest manifest) throws XGBoostError {
        int expected = manifest.features().size();
        long actual = booster.getNumFeature();
        if (actual != expected) {
            throw new ModelRejectedException("model file has " + actual + " input columns but manifest.json lists "
                    + expected + " features");
        }
        String[] embedded = booster.getFeatureNames();
        // a model saved without feature names (common from Python) reports them as [null]: nothing to compare
        if (embedded != null && Arrays.stream(embedded).allMatch(n -> n == null || n.isEmpty())) embedded = null;
        if (embedded != null && embedded.length > 0 && !Arrays.asList(embedded).equals(manifest.features())) {
            Set<String> inModel = new LinkedHashSet<>(Arrays.asList(embedded));
            Set<String> inManifest = new LinkedHashSet<>(manifest.features());
            Set<String> onlyModel = new LinkedHashSet<>(inModel);
            onlyModel.removeAll(inManifest);
            Set<String> onlyManifest = new LinkedHashSet<>(inManifest);
            onlyManifest.removeAll(inModel);
            throw new ModelRejectedException("the model file's own feature names disagree with manifest.json: "
                    + "missing from manifest " + onlyModel + ", extra in manifest " + onlyManifest
                    + (onlyModel.isEmpty() && onlyManifest.isEmpty() ? " (same names, different order)" : ""));
        }
    }

    @Override
    public String version() { return version; }

    public ModelManifest manifest() { return manifest; }

    public List<String> featureNames() { return manifest.features(); }

    /** Which implementation scores this model: {@code java} or {@code xgboost}. */
    public String evaluator() { return ensemble != null ? "java" : "xgboost"; }

    /** One batched prediction for all candidates; throws {@link ModelScoringException} on any model error. */
    @Override
    public double[] score(RankingContext ctx, List<Candidate> candidates) {
        int n = candidates.size();
        if (n == 0) return new double[0];
        float[] matrix = new float[n * cols];
        for (int i = 0; i < n; i++) {
            fillRow(candidates.get(i).features(), matrix, i * cols);
        }
        return predict(matrix, n);
    }

    /** Predicts a row-major matrix whose columns are already in the manifest's order. */
    public double[] predict(float[] matrix, int rows) {
        if (ensemble == null) return predictWithXgboost(matrix, rows);
        checkShape(matrix, rows);
        return ensemble.predict(matrix, rows);
    }

    /** Predicts with xgboost4j whatever the evaluator: the reference the Java evaluator is held to. */
    public double[] predictWithXgboost(float[] matrix, int rows) {
        checkShape(matrix, rows);
        float[][] out;
        try {
            out = booster.inplace_predict(matrix, rows, cols, Float.NaN);
        } catch (XGBoostError | RuntimeException e) {
            throw new ModelScoringException(version, "prediction failed: " + firstLine(e.getMessage()), e);
        }
        if (out.length != rows) {
            throw new ModelScoringException(version, "returned " + out.length + " scores for " + rows + " rows", null);
        }
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) scores[i] = out[i][0];
        return scores;
    }

    private void checkShape(float[] matrix, int rows) {
        if (rows < 0 || matrix.length < (long) rows * cols) {
            // never hand native code a shorter buffer than the shape it is told
            throw new ModelScoringException(version, "matrix of " + matrix.length + " values is too small for "
                    + rows + " rows x " + cols + " features", null);
        }
    }

    private void fillRow(float[] f, float[] matrix, int offset) {
        if (f == null) {
            Arrays.fill(matrix, offset, offset + cols, Float.NaN);
        } else if (schemaPrefix && f.length >= cols) {
            System.arraycopy(f, 0, matrix, offset, cols);
        } else {
            for (int j = 0; j < cols; j++) {
                int s = schemaIndex[j];
                matrix[offset + j] = s < f.length ? f[s] : Float.NaN;
            }
        }
    }

    private static float[] nanRow(int cols) {
        float[] row = new float[cols];
        Arrays.fill(row, Float.NaN);
        return row;
    }

    private static final byte[] LEARNER = "learner".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] GRADIENT_BOOSTER = "gradient_booster".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    static String firstLine(String s) {
        if (s == null) return "(no message)";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    @Override
    public String toString() {
        return "XgboostScorer[" + version + ", " + cols + " features, " + evaluator() + " evaluator]";
    }
}
