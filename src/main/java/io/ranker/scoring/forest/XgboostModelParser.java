package io.ranker.scoring.forest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and structurally validates an XGBoost model file (JSON or UBJ, xgboost 1.x to 3.x layouts) without
 * native code. The result says whether the Java evaluator can run it ({@link ParsedModel#javaUnsupported()});
 * a model that is broken in a way that could crash or mislead XGBoost itself is refused with every problem
 * found ({@link MalformedModelException}).
 *
 * <p>Learner level: one output per row ({@code num_class <= 1}, {@code num_target == 1}), a finite
 * {@code base_score} (a plain "5E-1" or xgboost 3.x's vector form "[5E-1]"), {@code num_feature} equal to what
 * the caller expects, {@code num_trees} trees with one {@code tree_info} entry each, an iteration index that
 * ends at the tree count, DART weights (if any) one per tree and finite. Tree level: {@link TreeStructureCheck}.
 */
public final class XgboostModelParser {
    private static final int MAX_PROBLEMS = 20;

    private XgboostModelParser() {
    }

    /**
     * A validated model.
     *
     * @param numFeatures     input columns
     * @param objective       the objective's name, e.g. {@code rank:ndcg}
     * @param baseScore       the stored base score (before the objective's link function)
     * @param trees           the trees in prediction order (empty for gblinear)
     * @param treeWeights     DART tree weights, or null when every tree weighs 1
     * @param javaUnsupported why the Java evaluator cannot run this model, or null when it can
     */
    public record ParsedModel(int numFeatures, String objective, float baseScore, List<ScalarTree> trees,
                              float[] treeWeights, String javaUnsupported) {
    }

    /**
     * @param expectedFeatures the number of input columns the model must have (the manifest's feature count)
     * @throws MalformedModelException the file is not a well-formed single-output XGBoost model
     */
    public static ParsedModel parse(byte[] bytes, int expectedFeatures, ForestLimits limits) {
        Map<String, Object> root = SavedModelReader.read(bytes);
        List<String> problems = new ArrayList<>();
        TreeStructureCheck.Fields f = new TreeStructureCheck.Fields("model", problems);
        Map<String, Object> learner = f.object(root, "learner");
        if (learner == null) throw new MalformedModelException(problems);
        Map<String, Object> param = f.object(learner, "learner_model_param");
        Map<String, Object> objective = f.object(learner, "objective");
        Map<String, Object> booster = f.object(learner, "gradient_booster");
        if (!problems.isEmpty()) throw new MalformedModelException(problems);

        long numFeature = f.intString(param, "num_feature");
        long numClass = param.containsKey("num_class") ? f.intString(param, "num_class") : 0;
        long numTarget = param.containsKey("num_target") ? f.intString(param, "num_target") : 1;
        Object objectiveName = objective.get("name");
        if (!(objectiveName instanceof String)) problems.add("model: the objective has no name");
        if (!problems.isEmpty()) throw new MalformedModelException(problems);
        if (numClass > 1 || numTarget > 1) {
            throw new MalformedModelException("model outputs " + Math.max(numClass, numTarget) + " values per row ("
                    + (numClass > 1 ? "num_class " + numClass : "num_target " + numTarget)
                    + "); a ranking model must output exactly one score per candidate");
        }
        if (numFeature != expectedFeatures) {
            throw new MalformedModelException("model file has " + numFeature + " input columns but manifest.json lists "
                    + expectedFeatures + " features");
        }
        if (numFeature < 1 || numFeature > limits.maxFeatures()) {
            throw new MalformedModelException("model has " + numFeature + " input columns, outside 1.." + limits.maxFeatures());
        }
        float baseScore = baseScore(param.get("base_score"));
        checkFeatureNames(learner.get("feature_names"), numFeature, problems);

        Object boosterName = booster.get("name");
        if ("gblinear".equals(boosterName)) {
            checkLinear(booster, numFeature, f);
            if (!problems.isEmpty()) throw new MalformedModelException(problems);
            return new ParsedModel((int) numFeature, (String) objectiveName, baseScore, List.of(), null,
                    "gblinear models are evaluated by xgboost4j");
        }
        // xgboost < 3 saved DART as {"name":"dart","gbtree":{...},"weight_drop":[...]}; 3.x keeps weights in the model
        Map<String, Object> gbtree = booster;
        Object legacyWeights = null;
        if ("dart".equals(boosterName)) {
            gbtree = f.object(booster, "gbtree");
            legacyWeights = booster.get("weight_drop");
        } else if (!"gbtree".equals(boosterName)) {
            throw new MalformedModelException("model: unknown gradient booster '" + boosterName + "'");
        }
        Map<String, Object> model = gbtree == null ? null : f.object(gbtree, "model");
        if (model == null) throw new MalformedModelException(problems);
        Map<String, Object> modelParam = f.object(model, "gbtree_model_param");
        if (modelParam == null) throw new MalformedModelException(problems);
        long numTrees = f.intString(modelParam, "num_trees");
        Object treesValue = model.get("trees");
        if (!(treesValue instanceof List<?> treeList) && !(treesValue instanceof long[] empty && empty.length == 0)) {
            problems.add("model: 'trees' is missing or not an array");
            throw new MalformedModelException(problems);
        }
        List<?> treeJson = treesValue instanceof List<?> l ? l : List.of();
        if (numTrees != treeJson.size()) problems.add("model: num_trees is " + numTrees + " but " + treeJson.size() + " trees are stored");
        if (treeJson.size() > limits.maxTrees()) {
            throw new MalformedModelException("model has " + treeJson.size() + " trees, more than the limit of " + limits.maxTrees());
        }
        long[] treeInfo = f.longs(model, "tree_info", treeJson.size());
        if (treeInfo != null) {
            for (int t = 0; t < treeInfo.length; t++) {
                if (treeInfo[t] != 0) {
                    problems.add("model: tree " + t + " belongs to output group " + treeInfo[t] + " of a single-output model");
                    break;
                }
            }
        }
        if (model.containsKey("iteration_indptr")) checkIndptr(f.longs(model, "iteration_indptr", -1), treeJson.size(), problems);
        float[] weights = treeWeights(model.containsKey("weight_drop") ? model.get("weight_drop") : legacyWeights,
                treeJson.size(), f);
        List<ScalarTree> trees = new ArrayList<>(treeJson.size());
        for (int t = 0; t < treeJson.size() && problems.size() < MAX_PROBLEMS; t++) {
            if (!(treeJson.get(t) instanceof Map<?, ?> m)) {
                problems.add("tree " + t + ": not an object");
                continue;
            }
            @SuppressWarnings("unchecked") Map<String, Object> tree = (Map<String, Object>) m;
            trees.add(TreeStructureCheck.check(t, tree, (int) numFeature, limits, problems));
        }
        if (!problems.isEmpty()) {
            throw new MalformedModelException(problems.size() > MAX_PROBLEMS
                    ? new ArrayList<>(problems.subList(0, MAX_PROBLEMS)) : problems);
        }
        String unsupported = null;
        try {
            Objective.of((String) objectiveName);
        } catch (UnsupportedModelException e) {
            unsupported = e.getMessage();
        }
        if (unsupported == null && trees.stream().anyMatch(ScalarTree::categorical)) {
            unsupported = "categorical splits are evaluated by xgboost4j";
        }
        if (unsupported == null && hasCategoryEncoder(model)) {
            unsupported = "models with a category encoder are evaluated by xgboost4j";
        }
        return new ParsedModel((int) numFeature, (String) objectiveName, baseScore, List.copyOf(trees), weights, unsupported);
    }

    /** "5E-1", "[5E-1]" (xgboost 3.x) or "(0.5)"; exactly one finite value for a single-output model. */
    static float baseScore(Object stored) {
        if (!(stored instanceof String s)) {
            if (stored instanceof Float v && Float.isFinite(v)) return v;
            throw new MalformedModelException("model: base_score is " + (stored == null ? "missing" : "not a string: " + stored));
        }
        String t = s.trim();
        if ((t.startsWith("[") && t.endsWith("]")) || (t.startsWith("(") && t.endsWith(")"))) {
            t = t.substring(1, t.length() - 1).trim();
        }
        if (t.contains(",")) {
            throw new MalformedModelException("model: base_score " + s + " has several values; a ranking model has one output");
        }
        float v;
        try {
            v = SavedModelReader.parseFloat(t);
        } catch (NumberFormatException e) {
            throw new MalformedModelException("model: base_score '" + TreeStructureCheck.Fields.abbreviate(s) + "' is not a number");
        }
        if (!Float.isFinite(v)) throw new MalformedModelException("model: base_score " + s + " is not finite");
        return v;
    }

    private static void checkFeatureNames(Object names, long numFeature, List<String> problems) {
        if (names instanceof List<?> l && !l.isEmpty() && l.size() != numFeature) {
            problems.add("model: " + l.size() + " feature names for " + numFeature + " input columns");
        }
    }

    private static void checkIndptr(long[] indptr, int numTrees, List<String> problems) {
        if (indptr == null) return;
        if (indptr.length == 0 && numTrees == 0) return;
        boolean ok = indptr.length >= 1 && indptr[0] == 0 && indptr[indptr.length - 1] == numTrees;
        for (int i = 1; ok && i < indptr.length; i++) ok = indptr[i] >= indptr[i - 1];
        if (!ok) problems.add("model: iteration_indptr does not run from 0 to the tree count " + numTrees);
    }

    private static float[] treeWeights(Object stored, int numTrees, TreeStructureCheck.Fields f) {
        if (stored == null) return null;
        float[] w = f.floats(Map.of("weight_drop", stored), "weight_drop", -1);
        if (w == null || w.length == 0) return null;
        if (w.length != numTrees) {
            // xgboost reads one weight per tree it predicts with; a shorter vector is read past its end
            f.problems.add("model: " + w.length + " DART tree weights for " + numTrees + " trees");
            return null;
        }
        for (float x : w) {
            if (!Float.isFinite(x)) {
                f.problems.add("model: a DART tree weight is not finite");
                return null;
            }
        }
        boolean allOne = true;
        for (float x : w) allOne &= x == 1.0f;
        return allOne ? null : w;
    }

    private static void checkLinear(Map<String, Object> booster, long numFeature, TreeStructureCheck.Fields f) {
        Map<String, Object> model = f.object(booster, "model");
        if (model == null) return;
        float[] weights = f.floats(model, "weights", -1);
        if (weights != null && weights.length != numFeature + 1) {
            f.problems.add("model: gblinear has " + weights.length + " weights for " + numFeature
                    + " features (expected one per feature plus the bias)");
        }
    }

    private static boolean hasCategoryEncoder(Map<String, Object> model) {
        if (!(model.get("cats") instanceof Map<?, ?> cats)) return false;
        Object enc = cats.get("enc");
        return enc instanceof List<?> l ? !l.isEmpty() : enc instanceof long[] a ? a.length > 0 : enc instanceof float[] b && b.length > 0;
    }
}
