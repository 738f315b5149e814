package io.ranker.retrieval.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ranking metrics for retrieval evaluation; graded gains are 2^rel - 1 with a log2 discount. */
public final class RetrievalMetrics {
    private RetrievalMetrics() {
    }

    /** nDCG@k; NaN when the query has no relevant document (callers skip such queries). */
    public static double ndcg(List<String> ranked, Map<String, Integer> relevance, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            int rel = relevance.getOrDefault(ranked.get(i), 0);
            dcg += (Math.pow(2, rel) - 1) / log2(i + 2);
        }
        int[] ideal = relevance.values().stream().mapToInt(Integer::intValue).filter(r -> r > 0).toArray();
        Arrays.sort(ideal);
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.length); i++) idcg += (Math.pow(2, ideal[ideal.length - 1 - i]) - 1) / log2(i + 2);
        return idcg == 0 ? Double.NaN : dcg / idcg;
    }

    /** Share of relevant documents found in the first k; NaN when there is no relevant document. */
    public static double recall(List<String> ranked, Set<String> relevant, int k) {
        if (relevant.isEmpty()) return Double.NaN;
        long found = ranked.stream().limit(k).filter(relevant::contains).count();
        return (double) found / relevant.size();
    }

    /** |found ∩ truth| / |truth| for nearest-neighbour recall. */
    public static double overlap(int[] found, int[] truth) {
        Set<Integer> t = new java.util.HashSet<>();
        for (int x : truth) t.add(x);
        int hit = 0;
        for (int x : found) if (t.contains(x)) hit++;
        return (double) hit / truth.length;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
