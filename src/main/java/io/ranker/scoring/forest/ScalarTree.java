package io.ranker.scoring.forest;

/**
 * One regression tree as XGBoost stores it, after {@link TreeStructureCheck} has proven it walkable: node
 * {@code i} is a leaf when {@code left[i] == -1} (its value is {@code condition[i]}), otherwise it sends
 * {@code x[splitIndex[i]] < condition[i]} to {@code left[i]}, other values to {@code left[i] + 1} (XGBoost's
 * predictor takes the right child to be the left one plus one, and the check enforces it), and a missing
 * value to the left child when {@code defaultLeft[i]}.
 *
 * @param depth       edges from the root to the deepest leaf
 * @param categorical whether some reachable split is categorical (the Java evaluator does not do those)
 */
public record ScalarTree(int[] left, int[] splitIndex, float[] condition, boolean[] defaultLeft, int depth,
                         boolean categorical) {

    public int nodeCount() { return left.length; }

    public boolean isLeaf(int node) { return left[node] == -1; }
}
