package io.ranker.training;

/**
 * NDCG@k with gain 2^label - 1 and discount 1 / log2(1 + rank) (rank 1-based). A query without any relevant
 * document (ideal DCG 0) counts as 1, the LightGBM convention. Documents with equal scores keep their input order
 * (a stable sort), so results are reproducible.
 */
public final class Ndcg {
    private Ndcg() {
    }

    /** NDCG@k of one query. */
    public static double at(int k, float[] labels, float[] scores, int from, int to) {
        int n = to - from;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = from + i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        double dcg = 0;
        for (int r = 0; r < Math.min(k, n); r++) {
            dcg += gain(labels[order[r]]) / log2(r + 2);
        }
        float[] ideal = java.util.Arrays.copyOfRange(labels, from, to);
        java.util.Arrays.sort(ideal);
        double idcg = 0;
        for (int r = 0; r < Math.min(k, n); r++) {
            idcg += gain(ideal[n - 1 - r]) / log2(r + 2);
        }
        return idcg == 0 ? 1.0 : dcg / idcg;
    }

    /** Mean NDCG@k over the queries given as consecutive group sizes. */
    public static double mean(int k, float[] labels, float[] scores, int[] groups) {
        double sum = 0;
        int start = 0;
        for (int g : groups) {
            sum += at(k, labels, scores, start, start + g);
            start += g;
        }
        return groups.length == 0 ? Double.NaN : sum / groups.length;
    }

    private static double gain(float label) {
        return Math.pow(2.0, label) - 1.0;
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2.0);
    }
}
