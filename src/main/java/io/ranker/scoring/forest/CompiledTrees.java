package io.ranker.scoring.forest;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * The node arrays {@link TreeEnsemble} walks, in one of two layouts per tree. Both fold XGBoost's default
 * direction into the comparison so a step has no branch: a comparison with NaN is false, so NaN always takes
 * the <em>first</em> child, and the first child is the node's default child. A default-left node compares
 * {@code x >= t} with children (left, right); a default-right node stores its children as (right, left) and
 * compares the row's negated copy of the column, {@code -x >= nextUp(-t)}, which holds exactly when
 * {@code x < t}. So every step is {@code next = first + (row[column] >= threshold ? 1 : 0)}.
 *
 * <ul>
 * <li><b>Implicit (heap) layout</b>, for trees whose complete binary padding stays small: node {@code a}'s
 * children are {@code 2a+1} and {@code 2a+2}, so a node is one {@code long} (column in the high half,
 * threshold bits in the low half) and no child index is loaded. A leaf above the bottom level is padded with
 * pass-through nodes (threshold NaN: always the first child) down to the tree's depth, where the leaf values
 * sit in {@code leaves}.</li>
 * <li><b>Linked layout</b>, for deep sparse trees (lossguide): four ints per node (column, threshold bits,
 * address of the first child, leaf value); a leaf is a pass-through node pointing to itself.</li>
 * </ul>
 * Either way a row takes exactly the tree's depth in steps.
 */
final class CompiledTrees {
    static final int LINKED_NODE = 4;
    private static final int LINKED = Integer.MIN_VALUE;
    /** Trees up to this depth always use the implicit layout (at most 255 slots). */
    private static final int ALWAYS_IMPLICIT_DEPTH = 8;
    /** Deeper trees use it while the padded size stays within this multiple of their node count. */
    private static final int MAX_PADDING = 4;
    private static final int NAN_BITS = Float.floatToRawIntBits(Float.NaN);

    final long[] implicit;
    final float[] leaves;
    final int[] linked;
    /** Per tree: start in {@link #implicit} (implicit layout) or root address in {@link #linked}. */
    final int[] base;
    /** Per tree: {@code leafStart - (2^depth - 1)} (may be negative) for the implicit layout, {@link #LINKED} otherwise. */
    final int[] leafOffset;
    final int[] depth;

    private CompiledTrees(long[] implicit, float[] leaves, int[] linked, int[] base, int[] leafOffset, int[] depth) {
        this.implicit = implicit;
        this.leaves = leaves;
        this.linked = linked;
        this.base = base;
        this.leafOffset = leafOffset;
        this.depth = depth;
    }

    boolean isImplicit(int tree) { return leafOffset[tree] != LINKED; }

    static boolean implicitFits(ScalarTree tree) {
        int d = tree.depth();
        return d <= ALWAYS_IMPLICIT_DEPTH || (d < 30 && (1L << (d + 1)) <= (long) MAX_PADDING * tree.nodeCount());
    }

    /**
     * @param weights DART tree weights (null: all 1); XGBoost multiplies each leaf by its tree's weight in
     *                float32 while predicting, so the product is taken here once
     * @param cols    the model's input columns; negated copies of the columns follow them in a staged row
     */
    static CompiledTrees of(List<ScalarTree> trees, float[] weights, int cols) {
        int n = trees.size();
        long implicitSize = 0;
        long leafSize = 0;
        long linkedSize = 0;
        for (ScalarTree t : trees) {
            if (implicitFits(t)) {
                implicitSize += (1L << t.depth()) - 1;
                leafSize += 1L << t.depth();
            } else {
                linkedSize += (long) t.nodeCount() * LINKED_NODE;
            }
        }
        if (implicitSize > Integer.MAX_VALUE - 8 || leafSize > Integer.MAX_VALUE - 8 || linkedSize > Integer.MAX_VALUE - 8) {
            throw new UnsupportedModelException("model has too many nodes for the Java evaluator's arrays");
        }
        long[] implicit = new long[(int) implicitSize];
        float[] leaves = new float[(int) leafSize];
        int[] linked = new int[(int) linkedSize];
        int[] base = new int[n];
        int[] leafOffset = new int[n];
        int[] depth = new int[n];
        int nextImplicit = 0;
        int nextLeaf = 0;
        int nextLinked = 0;
        for (int t = 0; t < n; t++) {
            ScalarTree tree = trees.get(t);
            float w = weights == null ? 1.0f : weights[t];
            depth[t] = tree.depth();
            if (implicitFits(tree)) {
                int internal = (1 << tree.depth()) - 1;
                base[t] = nextImplicit;
                leafOffset[t] = nextLeaf - internal;
                fillImplicit(tree, w, cols, implicit, nextImplicit, leaves, nextLeaf);
                nextImplicit += internal;
                nextLeaf += internal + 1;
            } else {
                base[t] = nextLinked;
                leafOffset[t] = LINKED;
                nextLinked = fillLinked(tree, w, cols, linked, nextLinked);
            }
        }
        return new CompiledTrees(implicit, leaves, Arrays.copyOf(linked, nextLinked), base, leafOffset, depth);
    }

    /** Column and threshold of a split as one word, the default direction folded in (see class comment). */
    private static long split(ScalarTree tree, int node, int cols) {
        float t = tree.condition()[node];
        int column = tree.defaultLeft()[node] ? tree.splitIndex()[node] : cols + tree.splitIndex()[node];
        float threshold = tree.defaultLeft()[node] ? t : Math.nextUp(-t);
        return ((long) column << 32) | (Float.floatToRawIntBits(threshold) & 0xffffffffL);
    }

    private static int firstChild(ScalarTree tree, int node) {
        int left = tree.left()[node];
        return tree.defaultLeft()[node] ? left : left + 1;
    }

    private static void fillImplicit(ScalarTree tree, float weight, int cols, long[] out, int at, float[] leaves, int leafAt) {
        int depth = tree.depth();
        int internal = (1 << depth) - 1;
        ArrayDeque<int[]> todo = new ArrayDeque<>();
        todo.add(new int[]{0, 0, 0}); // tree node, slot, level
        while (!todo.isEmpty()) {
            int[] e = todo.poll();
            int node = e[0];
            int slot = e[1];
            int level = e[2];
            if (level == depth) {
                leaves[leafAt + slot - internal] = tree.condition()[node] * weight;
            } else if (tree.isLeaf(node)) {
                out[at + slot] = NAN_BITS & 0xffffffffL; // column 0, threshold NaN: always the first child
                todo.add(new int[]{node, 2 * slot + 1, level + 1});
            } else {
                out[at + slot] = split(tree, node, cols);
                int first = firstChild(tree, node);
                int second = first == tree.left()[node] ? first + 1 : first - 1;
                todo.add(new int[]{first, 2 * slot + 1, level + 1});
                todo.add(new int[]{second, 2 * slot + 2, level + 1});
            }
        }
    }

    /** Breadth-first, children adjacent (default child first); returns the next free int. */
    private static int fillLinked(ScalarTree tree, float weight, int cols, int[] out, int at) {
        int[] slotOf = new int[tree.nodeCount()];
        int[] queue = new int[tree.nodeCount()];
        int head = 0;
        int tail = 0;
        int next = at / LINKED_NODE;
        queue[tail++] = 0;
        slotOf[0] = next++;
        while (head < tail) {
            int node = queue[head++];
            int p = slotOf[node] * LINKED_NODE;
            if (tree.isLeaf(node)) {
                out[p] = 0;
                out[p + 1] = NAN_BITS;
                out[p + 2] = p;
                out[p + 3] = Float.floatToRawIntBits(tree.condition()[node] * weight);
                continue;
            }
            long s = split(tree, node, cols);
            out[p] = (int) (s >>> 32);
            out[p + 1] = (int) s;
            int first = firstChild(tree, node);
            int second = first == tree.left()[node] ? first + 1 : first - 1;
            slotOf[first] = next++;
            slotOf[second] = next++;
            out[p + 2] = slotOf[first] * LINKED_NODE;
            queue[tail++] = first;
            queue[tail++] = second;
        }
        return next * LINKED_NODE;
    }
}
