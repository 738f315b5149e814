package io.ranker.scoring.forest;

import java.util.Arrays;

/**
 * An XGBoost tree ensemble compiled for fast batch evaluation in Java, with exactly XGBoost's arithmetic: a
 * split sends {@code x < threshold} left (float32 comparison), a missing value (NaN) follows the node's default
 * direction, each row's margin starts at the objective's margin of {@code base_score} and adds the trees' leaf
 * values in tree order in float32 (as {@code inplace_predict} does), then the objective's transform applies.
 * The node layouts are described in {@link CompiledTrees}.
 *
 * <p>Evaluation is tree-major over blocks of rows: a block's rows, each followed by its negated copy (which
 * default-right splits read), are staged in a per-thread buffer small enough for the L1/L2 cache, then every
 * tree walks all rows of the block, eight rows at a time so the CPU overlaps their independent chains of
 * dependent loads. Thread-safe; no allocation per call beyond the output.
 */
public final class TreeEnsemble {
    /** Staging buffer target: a block's rows and their negated copies in about 16 KB. */
    private static final int BLOCK_BYTES = 16 * 1024;

    private final int numFeatures;
    private final Objective objective;
    private final float baseMargin;
    private final CompiledTrees trees;
    private final int blockRows;
    private final ThreadLocal<float[][]> scratch;

    private TreeEnsemble(int numFeatures, Objective objective, float baseMargin, CompiledTrees trees) {
        this.numFeatures = numFeatures;
        this.objective = objective;
        this.baseMargin = baseMargin;
        this.trees = trees;
        int rows = Math.max(8, Math.min(256, BLOCK_BYTES / (8 * numFeatures)) & ~7);
        this.blockRows = rows;
        this.scratch = ThreadLocal.withInitial(() -> new float[][]{new float[rows * 2 * numFeatures], new float[rows]});
    }

    /**
     * Compiles a parsed model.
     *
     * @throws UnsupportedModelException the model needs something the Java evaluator does not do
     */
    public static TreeEnsemble compile(XgboostModelParser.ParsedModel model) {
        if (model.javaUnsupported() != null) throw new UnsupportedModelException(model.javaUnsupported());
        Objective objective = Objective.of(model.objective());
        float margin = objective.marginOf(model.baseScore());
        if (!Float.isFinite(margin)) {
            throw new MalformedModelException("model: base_score " + model.baseScore() + " has no finite margin under "
                    + model.objective());
        }
        return new TreeEnsemble(model.numFeatures(), objective, margin,
                CompiledTrees.of(model.trees(), model.treeWeights(), model.numFeatures()));
    }

    public int numFeatures() { return numFeatures; }

    public int numTrees() { return trees.depth.length; }

    public Objective objective() { return objective; }

    /** Predictions (after the objective's transform) of {@code rows} rows of a row-major matrix, NaN = missing. */
    public double[] predict(float[] matrix, int rows) {
        double[] out = new double[rows];
        predict(matrix, rows, out);
        return out;
    }

    /** As {@link #predict(float[], int)}, into {@code out}. */
    public void predict(float[] matrix, int rows, double[] out) {
        int cols = numFeatures;
        if (rows < 0 || (long) rows * cols > matrix.length || out.length < rows) {
            throw new IllegalArgumentException("matrix of " + matrix.length + " values (output " + out.length
                    + ") does not hold " + rows + " rows x " + cols + " features");
        }
        float[][] buffers = scratch.get();
        float[] block = buffers[0];
        float[] acc = buffers[1];
        int width = 2 * cols;
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            int n = Math.min(blockRows, rows - r0);
            for (int i = 0; i < n; i++) {
                int src = (r0 + i) * cols;
                int dst = i * width;
                System.arraycopy(matrix, src, block, dst, cols);
                for (int j = 0; j < cols; j++) block[dst + cols + j] = -matrix[src + j];
            }
            Arrays.fill(acc, 0, n, baseMargin);
            CompiledTrees c = trees;
            for (int t = 0; t < c.depth.length; t++) {
                if (c.isImplicit(t)) walkImplicit(c.base[t], c.leafOffset[t], c.depth[t], block, width, acc, n);
                else walkLinked(c.base[t], c.depth[t], block, width, acc, n);
            }
            for (int i = 0; i < n; i++) out[r0 + i] = objective.transform(acc[i]);
        }
    }

    /** Adds one implicit-layout tree's leaf value to each of the block's {@code n} rows, eight walks at a time. */
    private void walkImplicit(int base, int leafOffset, int depth, float[] block, int width, float[] acc, int n) {
        long[] nd = trees.implicit;
        float[] leaf = trees.leaves;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int b0 = i * width;
            int b1 = b0 + width;
            int b2 = b1 + width;
            int b3 = b2 + width;
            int b4 = b3 + width;
            int b5 = b4 + width;
            int b6 = b5 + width;
            int b7 = b6 + width;
            int a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            for (int d = 0; d < depth; d++) {
                long w0 = nd[base + a0];
                long w1 = nd[base + a1];
                long w2 = nd[base + a2];
                long w3 = nd[base + a3];
                long w4 = nd[base + a4];
                long w5 = nd[base + a5];
                long w6 = nd[base + a6];
                long w7 = nd[base + a7];
                a0 = 2 * a0 + (block[b0 + (int) (w0 >>> 32)] >= Float.intBitsToFloat((int) w0) ? 2 : 1);
                a1 = 2 * a1 + (block[b1 + (int) (w1 >>> 32)] >= Float.intBitsToFloat((int) w1) ? 2 : 1);
                a2 = 2 * a2 + (block[b2 + (int) (w2 >>> 32)] >= Float.intBitsToFloat((int) w2) ? 2 : 1);
                a3 = 2 * a3 + (block[b3 + (int) (w3 >>> 32)] >= Float.intBitsToFloat((int) w3) ? 2 : 1);
                a4 = 2 * a4 + (block[b4 + (int) (w4 >>> 32)] >= Float.intBitsToFloat((int) w4) ? 2 : 1);
                a5 = 2 * a5 + (block[b5 + (int) (w5 >>> 32)] >= Float.intBitsToFloat((int) w5) ? 2 : 1);
                a6 = 2 * a6 + (block[b6 + (int) (w6 >>> 32)] >= Float.intBitsToFloat((int) w6) ? 2 : 1);
                a7 = 2 * a7 + (block[b7 + (int) (w7 >>> 32)] >= Float.intBitsToFloat((int) w7) ? 2 : 1);
            }
            acc[i] += leaf[leafOffset + a0];
            acc[i + 1] += leaf[leafOffset + a1];
            acc[i + 2] += leaf[leafOffset + a2];
            acc[i + 3] += leaf[leafOffset + a3];
            acc[i + 4] += leaf[leafOffset + a4];
            acc[i + 5] += leaf[leafOffset + a5];
            acc[i + 6] += leaf[leafOffset + a6];
            acc[i + 7] += leaf[leafOffset + a7];
        }
        for (; i < n; i++) {
            int b = i * width;
            int a = 0;
            for (int d = 0; d < depth; d++) {
                long w = nd[base + a];
                a = 2 * a + (block[b + (int) (w >>> 32)] >= Float.intBitsToFloat((int) w) ? 2 : 1);
            }
            acc[i] += leaf[leafOffset + a];
        }
    }

    /** As {@link #walkImplicit} for a linked-layout tree rooted at address {@code root}. */
    private void walkLinked(int root, int depth, float[] block, int width, float[] acc, int n) {
        int[] nd = trees.linked;
        for (int i = 0; i < n; i++) {
            int b = i * width;
            int a = root;
            for (int d = 0; d < depth; d++) {
                a = nd[a + 2] + (block[b + nd[a]] >= Float.intBitsToFloat(nd[a + 1]) ? CompiledTrees.LINKED_NODE : 0);
            }
            acc[i] += Float.intBitsToFloat(nd[a + 3]);
        }
    }

    @Override
    public String toString() {
        return "TreeEnsemble[" + numTrees() + " trees, " + numFeatures
                + " features, " + objective + "]";
    }
}
