package io.ranker.explore;

import io.ranker.core.Candidate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Independent, deliberately naive re-statement of the explorer semantics for small cases: builds the
 * deterministic list and enumerates every list the explore branch can draw with its probability, using
 * plain lists and a single attribute cap. Tests compare the explorers against it.
 */
final class ReferenceEnumeration {
    final List<String> deterministic = new ArrayList<>();
    /** list of ids (all positions) -> probability under the explore branch */
    final Map<List<String>, Double> exploreLists = new HashMap<>();

    private final List<Candidate> ranked;
    private final Map<Integer, String> pins;
    private final String capAttr;
    private final int capMax;
    private final int capTopK;
    private final int limit;

    /**
     * @param sampledUpTo free positions above it are held (shuffle-top-n's n; Integer.MAX_VALUE for PL)
     * @param temperature softmax temperature; NaN means uniform weights (shuffle)
     * @param shufflePool true: the pool is the deterministic candidates at the sampled positions (shuffle);
     *                    false: every candidate that is not pinned or protected (Plackett-Luce, topK 0)
     */
    ReferenceEnumeration(List<Candidate> ranked, Map<Integer, String> pins, String capAttr, int capMax,
                         int capTopK, int limit, int protectedPositions, int sampledUpTo, double temperature,
                         boolean shufflePool) {
        this.ranked = ranked;
        this.pins = pins;
        this.capAttr = capAttr;
        this.capMax = capMax;
        this.capTopK = capTopK;
        this.limit = limit;
        // deterministic list: pins in place, greedy in ranked order under the cap
        String[] list = new String[limit];
        pins.forEach((p, id) -> list[p - 1] = id);
        for (int p = 1; p <= limit; p++) {
            if (list[p - 1] != null) continue;
            String pick = null;
            for (Candidate c : ranked) {
                if (contains(list, c.id())) continue;
                if (capAllows(list, c, p)) {
                    pick = c.id();
                    break;
                }
            }
            if (pick == null) {
                for (Candidate c : ranked) if (!contains(list, c.id())) { pick = c.id(); break; }
            }
            list[p - 1] = pick;
        }
        deterministic.addAll(List.of(list));
        // held vs sampled positions
        String[] held = new String[limit];
        List<Integer> sampled = new ArrayList<>();
        for (int p = 1; p <= limit; p++) {
            boolean isHeld = pins.containsKey(p) || p <= protectedPositions || p > sampledUpTo;
            if (isHeld) held[p - 1] = list[p - 1];
            else sampled.add(p);
        }
        List<Candidate> pool = new ArrayList<>();
        for (Candidate c : ranked) {
            if (contains(held, c.id())) continue;
            if (pins.containsValue(c.id())) continue;
            if (shufflePool && !sampledIds(list, sampled).contains(c.id())) continue;
            pool.add(c);
        }
        double max = pool.stream().mapToDouble(Candidate::score).max().orElse(0);
        Map<String, Double> weight = new HashMap<>();
        for (Candidate c : pool) {
            weight.put(c.id(), Double.isNaN(temperature) ? 1.0 : Math.exp((c.score() - max) / temperature));
        }
        enumerate(held.clone(), sampled, 0, pool, weight, 1.0);
    }

    private static List<String> sampledIds(String[] list, List<Integer> sampled) {
        List<String> ids = new ArrayList<>();
        for (int p : sampled) ids.add(list[p - 1]);
        return ids;
    }

    private void enumerate(String[] list, List<Integer> sampled, int k, List<Candidate> remaining,
                           Map<String, Double> weight, double prob) {
        if (k == sampled.size()) {
            exploreLists.merge(List.of(list), prob, Double::sum);
            return;
        }
        int p = sampled.get(k);
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : remaining) if (capAllows(list, c, p)) eligible.add(c);
        if (eligible.isEmpty()) eligible = remaining;
        double z = 0;
        for (Candidate c : eligible) z += weight.get(c.id());
        for (Candidate c : eligible) {
            String[] next = list.clone();
            next[p - 1] = c.id();
            List<Candidate> rest = new ArrayList<>(remaining);
            rest.remove(c);
            enumerate(next, sampled, k + 1, rest, weight, prob * weight.get(c.id()) / z);
        }
    }

    /** The cap counts every candidate already placed at a position within top K (placed = not null). */
    private boolean capAllows(String[] list, Candidate c, int p) {
        if (capAttr == null || p > capTopK) return true;
        Object v = c.item().attribute(capAttr);
        int count = 0;
        for (int q = 1; q <= Math.min(capTopK, list.length); q++) {
            String id = list[q - 1];
            if (id == null) continue;
            Object other = byId(id).item().attribute(capAttr);
            if (v != null && v.equals(other)) count++;
        }
        return count < capMax;
    }

    private Candidate byId(String id) {
        for (Candidate c : ranked) if (c.id().equals(id)) return c;
        throw new IllegalStateException(id);
    }

    private static boolean contains(String[] a, String id) {
        for (String s : a) if (id.equals(s)) return true;
        return false;
    }

    /** Whole-policy marginal P(id at position) for a mixture with {@code epsilon}. */
    double marginal(String id, int position, double epsilon) {
        double explore = 0;
        for (var e : exploreLists.entrySet()) if (id.equals(e.getKey().get(position - 1))) explore += e.getValue();
        double det = id.equals(deterministic.get(position - 1)) ? 1 : 0;
        return epsilon * explore + (1 - epsilon) * det;
    }

    /** Whole-policy marginals {@code [position - 1][candidate index]} for a mixture with {@code epsilon}. */
    double[][] marginals(Map<String, Integer> index, double epsilon) {
        double[][] m = new double[limit][index.size()];
        for (var e : exploreLists.entrySet()) {
            for (int p = 0; p < limit; p++) m[p][index.get(e.getKey().get(p))] += epsilon * e.getValue();
        }
        for (int p = 0; p < limit; p++) m[p][index.get(deterministic.get(p))] += 1 - epsilon;
        return m;
    }

    int positions() {
        return limit;
    }
}
