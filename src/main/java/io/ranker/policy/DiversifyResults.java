package io.ranker.policy;

import io.ranker.core.Candidate;
import io.ranker.core.RuleEffect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: diversify}: greedy re-ordering of the top {@code window} candidates, each step taking the one
 * maximising {@code (1 - strength) * relevance - strength * redundancy} (maximal marginal relevance).
 * Relevance is the score min-max normalised over the window, so strength means the same at any score scale.
 * Redundancy is, with {@code method: attribute}, how many already chosen items share the candidate's value
 * (spread by category); with {@code method: mmr}, the largest cosine similarity of the item vector to an
 * already chosen one. Strength 0 keeps the order, 1 maximises spread. Scores are not changed.
 */
public record DiversifyResults(String id, ActiveWindow active, Method method, String attribute, double strength,
                               int window) implements PolicyRule {
    public enum Method { ATTRIBUTE, MMR }

    static final RuleType<DiversifyResults> TYPE = new RuleType<>("diversify",
            Set.of("method", "attribute", "strength", "window"), DiversifyResults::read, DiversifyResults::check);

    private static DiversifyResults read(RuleFields in) {
        String method = in.string("method", "attribute");
        Method m = null;
        if ("attribute".equals(method)) m = Method.ATTRIBUTE;
        else if ("mmr".equals(method)) m = Method.MMR;
        else if (method != null) in.error("method", "'method' must be 'attribute' or 'mmr'");
        String attribute = in.string("attribute", null);
        if (m == Method.ATTRIBUTE && attribute == null && !in.has("attribute")) {
            in.error("diversify by attribute needs 'attribute' (e.g. category)");
        }
        return new DiversifyResults(in.id(), in.active(), m, attribute, in.number("strength", 0, 1, 0.3),
                in.integer("window", 2, 1000, 50));
    }

    private static void check(DiversifyResults d, RuleSetCheck set) {
        if (d.method == Method.MMR && d.attribute != null) {
            set.error("diversify with method mmr uses the item vectors and takes no 'attribute'");
        }
    }

    @Override
    public Phase phase() { return Phase.ORDER; }

    @Override
    public void apply(PolicyRun run) {
        List<Candidate> list = run.candidates();
        int n = Math.min(window, list.size());
        if (n < 3 || strength <= 0) return;
        Candidate[] pool = list.subList(0, n).toArray(new Candidate[0]);
        double[] rel = normalisedScores(pool);
        double[] redundancy = new double[n];
        boolean[] taken = new boolean[n];
        float[][] vectors = method == Method.MMR ? unitVectors(pool) : null;
        Map<String, Integer> valueCounts = method == Method.ATTRIBUTE ? new HashMap<>() : null;
        String[][] values = null;
        if (method == Method.ATTRIBUTE) {
            values = new String[n][];
            for (int i = 0; i < n; i++) values[i] = ItemValues.of(pool[i].item(), attribute);
        }
        for (int step = 0; step < n; step++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (taken[i]) continue;
                double v = (1 - strength) * rel[i] - strength * redundancy[i];
                if (v > bestValue) {
                    bestValue = v;
                    best = i;
                }
            }
            if (best < 0) { // every remaining value is NaN (NaN scores): keep their order
                for (int i = 0; i < n && best < 0; i++) if (!taken[i]) best = i;
            }
            taken[best] = true;
            Candidate chosen = pool[best];
            if (best != step && run.explain()) {
                chosen.addEffect(new RuleEffect(id, "diversified", "moved " + (best + 1) + " -> " + (step + 1)));
            } else if (best != step) {
                chosen.addEffect(new RuleEffect(id, "diversified", null));
            }
            list.set(step, chosen);
            if (method == Method.ATTRIBUTE) {
                for (String v : values[best]) valueCounts.merge(v, 1, Integer::sum);
                for (int i = 0; i < n; i++) if (!taken[i]) redundancy[i] = sharedCount(values[i], valueCounts);
            } else if (vectors[best] != null) {
                for (int i = 0; i < n; i++) {
                    if (taken[i] || vectors[i] == null) continue;
                    double sim = dot(vectors[best], vectors[i]);
                    if (sim > redundancy[i]) redundancy[i] = sim;
                }
            }
        }
    }

    private static int sharedCount(String[] values, Map<String, Integer> counts) {
        int max = 0;
        for (String v : values) max = Math.max(max, counts.getOrDefault(v, 0));
        return max;
    }

    private static double[] normalisedScores(Candidate[] pool) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Candidate c : pool) {
            double s = c.score();
            if (Double.isNaN(s)) continue;
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        double[] rel = new double[pool.length];
        for (int i = 0; i < pool.length; i++) {
            double s = pool[i].score();
            rel[i] = Double.isNaN(s) ? 0 : hi > lo ? (s - lo) / (hi - lo) : 1;
        }
        return rel;
    }

    private static float[][] unitVectors(Candidate[] pool) {
        float[][] out = new float[pool.length][];
        for (int i = 0; i < pool.length; i++) {
            float[] v = pool[i].item() == null ? null : pool[i].item().vector();
            if (v == null || v.length == 0) continue;
            double norm = Math.sqrt(dot(v, v));
            if (norm == 0) continue;
            float[] u = new float[v.length];
            for (int k = 0; k < v.length; k++) u[k] = (float) (v[k] / norm);
            out[i] = u;
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        int len = Math.min(a.length, b.length);
        double s = 0;
        for (int k = 0; k < len; k++) s += a[k] * b[k];
        return s;
    }

    @Override
    public void collectAttributes(Set<String> into) {
        if (method == Method.ATTRIBUTE) into.add(attribute);
    }
}
