package io.ranker.scoring.forest;

/**
 * Size limits a model must respect to be accepted: they bound load time, memory and the cost of one tree
 * walk, whatever the file claims.
 *
 * @param maxTrees        trees in the ensemble
 * @param maxNodesPerTree nodes of one tree (including deleted ones)
 * @param maxDepth        edges from the root to the deepest leaf
 * @param maxFeatures     input columns
 */
public record ForestLimits(int maxTrees, int maxNodesPerTree, int maxDepth, int maxFeatures) {
    /** Generous for ranking models (a 3,000-tree depth-12 model fits) yet small enough to stay safe. */
    public static final ForestLimits DEFAULT = new ForestLimits(20_000, 1 << 17, 128, 100_000);
}
