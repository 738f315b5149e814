package io.ranker.scoring.forest;

import java.util.List;
import java.util.Map;

/**
 * Proves one saved tree safe to walk before anything native sees it. XGBoost's loader and predictor trust
 * the file: a split on column 10 of a 5-column model reads past the feature buffer, a child index pointing
 * back up loops forever, a parent index out of range is dereferenced while loading. So, for tree {@code t}:
 * every node array has {@code num_nodes} entries; walking from the root reaches every node at most once (no
 * cycle, no node shared by two parents) and reaches every node that is not marked deleted; an internal node
 * has {@code 0 < left < num_nodes}, {@code right == left + 1} (what the predictor assumes), a split column
 * below the model's feature count, a finite threshold and a 0/1 default direction; a leaf has no right child
 * and a finite value; each child names its parent; the depth stays within the limit.
 */
final class TreeStructureCheck {
    /**
     * A node deleted by pruning is stored with split index 0x7FFFFFFF and default_left 1: XGBoost marks it with
     * an all-ones split word and saves the word's two halves (index bits, default-direction bit).
     */
    static final long DELETED_MARKER = 0x7FFFFFFFL;
    private static final int MAX_PROBLEMS_PER_TREE = 5;

    private TreeStructureCheck() {
    }

    /**
     * @param tree        the tree's JSON object
     * @param numFeatures the model's input columns
     * @param problems    receives what is wrong, prefixed with the tree's position
     * @return the tree, or null when it has problems
     */
    static ScalarTree check(int t, Map<String, Object> tree, int numFeatures, ForestLimits limits, List<String> problems) {
        String where = "tree " + t;
        int before = problems.size();
        Fields f = new Fields(where, problems);
        Map<String, Object> param = f.object(tree, "tree_param");
        if (param == null) return null;
        long n = f.intString(param, "num_nodes");
        long numDeleted = param.containsKey("num_deleted") ? f.intString(param, "num_deleted") : 0;
        long leafVector = param.containsKey("size_leaf_vector") ? f.intString(param, "size_leaf_vector") : 1;
        if (problems.size() > before) return null;
        if (n < 1 || n > limits.maxNodesPerTree()) {
            problems.add(where + ": num_nodes " + n + " is outside 1.." + limits.maxNodesPerTree());
            return null;
        }
        if (leafVector > 1) {
            problems.add(where + ": has vector leaves (size_leaf_vector " + leafVector + "); a ranking model must output one score");
            return null;
        }
        Object id = tree.get("id");
        if (!(id instanceof Long l) || l != t) problems.add(where + ": id is " + id + ", expected " + t);
        int nodes = (int) n;
        long[] left = f.longs(tree, "left_children", nodes);
        long[] right = f.longs(tree, "right_children", nodes);
        long[] parent = f.longs(tree, "parents", nodes);
        long[] split = f.longs(tree, "split_indices", nodes);
        float[] cond = f.floats(tree, "split_conditions", nodes);
        long[] dflt = f.longs(tree, "default_left", nodes);
        // the loader requires these statistics with the same length even though prediction ignores them
        f.floats(tree, "base_weights", nodes);
        f.floats(tree, "loss_changes", nodes);
        f.floats(tree, "sum_hessian", nodes);
        long[] splitType = tree.containsKey("split_type") ? f.longs(tree, "split_type", nodes) : null;
        if (problems.size() > before) return null;

        int[] outLeft = new int[nodes];
        int[] outSplit = new int[nodes];
        boolean[] outDefaultLeft = new boolean[nodes];
        int[] depthOf = new int[nodes];
        boolean[] seen = new boolean[nodes];
        int[] stack = new int[nodes];
        int top = 0;
        stack[top++] = 0;
        seen[0] = true;
        int maxDepth = 0;
        boolean categorical = false;
        while (top > 0 && problems.size() - before < MAX_PROBLEMS_PER_TREE) {
            int i = stack[--top];
            String node = where + " node " + i;
            if (split[i] < 0 || split[i] >= numFeatures) {
                problems.add(node + ": split index " + split[i] + " is outside the model's " + numFeatures + " features");
            }
            if (left[i] == -1) {
                if (right[i] != -1) problems.add(node + ": a leaf (left child -1) with right child " + right[i]);
                if (!Float.isFinite(cond[i])) problems.add(node + ": leaf value " + cond[i] + " is not finite");
                outLeft[i] = -1;
                continue;
            }
            if (left[i] < 1 || left[i] >= nodes) {
                problems.add(node + ": left child " + left[i] + " is outside 1.." + (nodes - 1));
                continue;
            }
            if (right[i] != left[i] + 1) {
                problems.add(node + ": right child " + right[i] + " is not left child + 1 (" + (left[i] + 1)
                        + "), which XGBoost's predictor assumes");
                continue;
            }
            if (right[i] >= nodes) {
                problems.add(node + ": right child " + right[i] + " is outside 1.." + (nodes - 1));
                continue;
            }
            boolean isCategorical = splitType != null && splitType[i] == 1;
            if (splitType != null && splitType[i] != 0 && splitType[i] != 1) {
                problems.add(node + ": split type " + splitType[i] + " is neither 0 (numerical) nor 1 (categorical)");
            }
            if (!isCategorical && !Float.isFinite(cond[i])) {
                problems.add(node + ": split threshold " + cond[i] + " is not finite");
            }
            if (dflt[i] != 0 && dflt[i] != 1) problems.add(node + ": default_left is " + dflt[i] + ", expected 0 or 1");
            categorical |= isCategorical;
            outLeft[i] = (int) left[i];
            outSplit[i] = (int) split[i];
            outDefaultLeft[i] = dflt[i] == 1;
            for (int c = (int) left[i]; c <= (int) right[i]; c++) {
                if (seen[c]) {
                    problems.add(where + ": node " + c + " is reached twice (from node " + i
                            + " and before it): the tree has a cycle or a shared child");
                    continue;
                }
                if (parent[c] != i) problems.add(where + " node " + c + ": parent is " + parent[c] + " but node " + i + " points to it");
                seen[c] = true;
                depthOf[c] = depthOf[i] + 1;
                if (depthOf[c] > limits.maxDepth()) {
                    problems.add(where + ": deeper than " + limits.maxDepth() + " levels");
                    return null;
                }
                maxDepth = Math.max(maxDepth, depthOf[c]);
                stack[top++] = c;
            }
        }
        if (problems.size() > before) return null;
        long deleted = 0;
        for (int i = 1; i < nodes; i++) {
            // the loader dereferences every node's parent, reachable or not
            if (parent[i] < 0 || parent[i] >= nodes) {
                problems.add(where + " node " + i + ": parent " + parent[i] + " is outside 0.." + (nodes - 1));
            } else if (!seen[i]) {
                if (split[i] != DELETED_MARKER || dflt[i] != 1) {
                    problems.add(where + " node " + i + ": not reachable from the root and not marked deleted");
                } else {
                    deleted++;
                }
            }
            if (problems.size() - before >= MAX_PROBLEMS_PER_TREE) break;
        }
        if (problems.size() == before && deleted != numDeleted) {
            problems.add(where + ": " + deleted + " deleted nodes but tree_param says num_deleted " + numDeleted);
        }
        if (categorical) checkCategories(where, tree, nodes, splitType, f);
        if (problems.size() > before) return null;
        return new ScalarTree(outLeft, outSplit, cond, outDefaultLeft, maxDepth, categorical);
    }

    /** Categorical splits are served by xgboost4j, whose loader indexes these arrays without checks. */
    private static void checkCategories(String where, Map<String, Object> tree, int nodes, long[] splitType, Fields f) {
        long[] catNodes = f.longs(tree, "categories_nodes", -1);
        long[] segments = f.longs(tree, "categories_segments", -1);
        long[] sizes = f.longs(tree, "categories_sizes", -1);
        long[] categories = f.longs(tree, "categories", -1);
        if (catNodes == null || segments == null || sizes == null || categories == null) return;
        if (segments.length != catNodes.length || sizes.length != catNodes.length) {
            f.problems.add(where + ": categories_nodes, categories_segments and categories_sizes differ in length");
            return;
        }
        long previous = -1;
        for (int k = 0; k < catNodes.length; k++) {
            long node = catNodes[k];
            if (node <= previous || node >= nodes || splitType[(int) node] != 1) {
                f.problems.add(where + ": categories_nodes[" + k + "] = " + node + " is not an increasing categorical node index");
                return;
            }
            if (segments[k] < 0 || sizes[k] < 1 || segments[k] + sizes[k] > categories.length) {
                f.problems.add(where + ": categories of node " + node + " lie outside the categories array");
                return;
            }
            previous = node;
        }
        for (long c : categories) {
            if (c < 0 || c > Integer.MAX_VALUE) {
                f.problems.add(where + ": category " + c + " is negative or too large");
                return;
            }
        }
    }

    /** Typed field access that records what is missing or mistyped instead of throwing. */
    static final class Fields {
        final String where;
        final List<String> problems;

        Fields(String where, List<String> problems) {
            this.where = where;
            this.problems = problems;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Map<String, Object> in, String key) {
            Object v = in.get(key);
            if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
            problems.add(where + ": '" + key + "' " + (v == null ? "is missing" : "is not an object"));
            return null;
        }

        /** XGBoost stores integer parameters as decimal strings ("7"). */
        long intString(Map<String, Object> in, String key) {
            Object v = in.get(key);
            if (v instanceof String s) {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            } else if (v instanceof Long l) {
                return l;
            }
            problems.add(where + ": '" + key + "' is " + (v == null ? "missing" : "not an integer: " + abbreviate(v)));
            return -1;
        }

        /** An integer array of the given length (-1: any length). */
        long[] longs(Map<String, Object> in, String key, int length) {
            Object v = in.get(key);
            long[] out = null;
            if (v instanceof long[] a) {
                out = a;
            } else if (v instanceof List<?> list && list.stream().allMatch(e -> e instanceof Boolean || e instanceof Long)) {
                out = list.stream().mapToLong(e -> e instanceof Boolean b ? (b ? 1 : 0) : (Long) e).toArray();
            }
            if (out == null) {
                problems.add(where + ": '" + key + "' " + (v == null ? "is missing" : "is not an integer array"));
                return null;
            }
            if (length >= 0 && out.length != length) {
                problems.add(where + ": '" + key + "' has " + out.length + " entries, expected " + length);
                return null;
            }
            return out;
        }

        /** A float array of the given length; integer elements are accepted as floats. */
        float[] floats(Map<String, Object> in, String key, int length) {
            Object v = in.get(key);
            float[] out = null;
            if (v instanceof float[] a) {
                out = a;
            } else if (v instanceof long[] a) {
                out = new float[a.length];
                for (int i = 0; i < a.length; i++) out[i] = a[i];
            }
            if (out == null) {
                problems.add(where + ": '" + key + "' " + (v == null ? "is missing" : "is not a number array"));
                return null;
            }
            if (length >= 0 && out.length != length) {
                problems.add(where + ": '" + key + "' has " + out.length + " entries, expected " + length);
                return null;
            }
            return out;
        }

        static String abbreviate(Object v) {
            String s = String.valueOf(v);
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
