package io.ranker.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the candidate's shown lists differ from the logged ones, accumulated impression by impression in
 * bounded memory (a few sums, plus one counter per category/brand value, capped at {@link #MAX_VALUES}):
 * share of lists changed, overlap@k, Kendall's tau-b and Spearman's rho between the two lists, exposure shift
 * by attribute value, and the biased offline metrics on logged feedback.
 */
final class RankingChanges {
    static final int[] KS = {1, 3, 5, 10, 20};
    static final int MAX_VALUES = 10_000;
    static final String OTHER = "(other)";
    private final List<String> exposureAttributes;

    private long lists;
    private long changed;
    private long setChanged;
    private final double[] overlapSum = new double[KS.length];
    private final long[] overlapCount = new long[KS.length];
    private double kendallSum, spearmanSum;
    private long correlationCount;
    // biased offline metrics
    private final double[] loggedRewardAtK = new double[KS.length];
    private final double[] loggedSlotsAtK = new double[KS.length];
    private final double[] clickedInCandidateTopK = new double[KS.length];
    private double clickedItems;
    private final Map<String, Map<String, double[]>> exposure = new LinkedHashMap<>();
    private double loggedExposureTotal, candidateExposureTotal;

    RankingChanges(List<String> exposureAttributes) {
        this.exposureAttributes = List.copyOf(exposureAttributes);
        for (String a : exposureAttributes) exposure.put(a, new HashMap<>());
    }

    /**
     * @param logged     shown ids of the logged list, in order
     * @param candidate  shown ids of the candidate's list, in order
     * @param attributes logged attributes by candidate id
     * @param rewards    reward per logged shown item
     */
    void add(List<String> logged, List<String> candidate, Map<String, Map<String, Object>> attributes,
             Map<String, Double> rewards) {
        lists++;
        if (!logged.equals(candidate)) changed++;
        if (!new java.util.HashSet<>(logged).equals(new java.util.HashSet<>(candidate))) setChanged++;
        Map<String, Integer> candPos = new HashMap<>(candidate.size() * 2);
        for (int i = 0; i < candidate.size(); i++) candPos.putIfAbsent(candidate.get(i), i + 1);
        for (int j = 0; j < KS.length; j++) {
            int k = KS[j];
            int kk = Math.min(k, Math.max(logged.size(), candidate.size()));
            // k beyond both lists adds nothing over the previous k
            if (kk == 0 || j > 0 && KS[j - 1] >= Math.max(logged.size(), candidate.size())) continue;
            int common = 0;
            for (int i = 0; i < Math.min(k, logged.size()); i++) {
                Integer p = candPos.get(logged.get(i));
                if (p != null && p <= k) common++;
            }
            overlapSum[j] += (double) common / kk;
            overlapCount[j]++;
            for (int i = 0; i < Math.min(k, logged.size()); i++) {
                loggedRewardAtK[j] += rewards.getOrDefault(logged.get(i), 0.0);
                loggedSlotsAtK[j]++;
            }
        }
        for (String id : logged) {
            if (rewards.getOrDefault(id, 0.0) <= 0) continue;
            clickedItems++;
            Integer p = candPos.get(id);
            for (int j = 0; j < KS.length; j++) if (p != null && p <= KS[j]) clickedInCandidateTopK[j]++;
        }
        if (logged.size() >= 2) {
            double[] x = new double[logged.size()];
            double[] y = new double[logged.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
                y[i] = candPos.getOrDefault(logged.get(i), candidate.size() + 1);
            }
            double tau = kendallTauB(x, y);
            double rho = spearman(x, y);
            if (!Double.isNaN(tau) && !Double.isNaN(rho)) {
                kendallSum += tau;
                spearmanSum += rho;
                correlationCount++;
            }
        }
        for (int i = 0; i < logged.size(); i++) addExposure(attributes.get(logged.get(i)), i + 1, 0);
        for (int i = 0; i < candidate.size(); i++) addExposure(attributes.get(candidate.get(i)), i + 1, 1);
    }

    /** Position-discounted exposure 1 / log2(position + 1), the usual DCG examination weight. */
    private void addExposure(Map<String, Object> attrs, int position, int which) {
        double w = 1.0 / (Math.log(position + 1) / Math.log(2));
        if (which == 0) loggedExposureTotal += w;
        else candidateExposureTotal += w;
        for (String a : exposureAttributes) {
            Object v = attrs == null ? null : attrs.get(a);
            String key = v == null ? "(none)" : String.valueOf(v);
            Map<String, double[]> m = exposure.get(a);
            if (!m.containsKey(key) && m.size() >= MAX_VALUES) key = OTHER;
            m.computeIfAbsent(key, k -> new double[2])[which] += w;
        }
    }

    static double kendallTauB(double[] x, double[] y) {
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double dx = Math.signum(x[i] - x[j]), dy = Math.signum(y[i] - y[j]);
                if (dx == 0 && dy == 0) continue;
                if (dx == 0) tiesX++;
                else if (dy == 0) tiesY++;
                else if (dx == dy) concordant++;
                else discordant++;
            }
        }
        double n0 = concordant + discordant + tiesX, n1 = concordant + discordant + tiesY;
        if (n0 == 0 || n1 == 0) return Double.NaN;
        return (concordant - discordant) / Math.sqrt(n0 * n1);
    }

    /** Pearson correlation of the ranks (average ranks for ties). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x), ry = ranks(y);
        double mx = 0, my = 0;
        for (int i = 0; i < rx.length; i++) {
            mx += rx[i];
            my += ry[i];
        }
        mx /= rx.length;
        my /= ry.length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) r[idx[t]] = avg;
            i = j + 1;
        }
        return r;
    }

    long lists() { return lists; }

    double changedShare() { return lists == 0 ? Double.NaN : (double) changed / lists; }

    /** The ranking-change section of the report. */
    Map<String, Object> rankingJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lists", lists);
        m.put("listsChanged", changed);
        m.put("shareChanged", changedShare());
        m.put("shareWithDifferentItems", lists == 0 ? Double.NaN : (double) setChanged / lists);
        Map<String, Object> overlap = new LinkedHashMap<>();
        for (int j = 0; j < KS.length; j++) {
            if (overlapCount[j] > 0) overlap.put(String.valueOf(KS[j]), overlapSum[j] / overlapCount[j]);
        }
        m.put("overlapAtK", overlap);
        m.put("kendallTau", correlationCount == 0 ? Double.NaN : kendallSum / correlationCount);
        m.put("spearmanRho", correlationCount == 0 ? Double.NaN : spearmanSum / correlationCount);
        Map<String, Object> shift = new LinkedHashMap<>();
        for (String a : exposureAttributes) shift.put(a, exposureShift(a, 15));
        m.put("exposureShift", shift);
        return m;
    }

    /** Values of one attribute with the largest change in exposure share, largest first. */
    List<Map<String, Object>> exposureShift(String attribute, int top) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var e : exposure.get(attribute).entrySet()) {
            double logged = loggedExposureTotal == 0 ? 0 : e.getValue()[0] / loggedExposureTotal;
            double cand = candidateExposureTotal == 0 ? 0 : e.getValue()[1] / candidateExposureTotal;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("value", e.getKey());
            r.put("loggedShare", logged);
            r.put("candidateShare", cand);
            r.put("shift", cand - logged);
            rows.add(r);
        }
        rows.sort(Comparator.comparingDouble((Map<String, Object> r) -> -Math.abs((double) r.get("shift")))
                .thenComparing(r -> (String) r.get("value")));
        return rows.size() > top ? new ArrayList<>(rows.subList(0, top)) : rows;
    }

    /** The biased offline metrics on logged feedback. */
    Map<String, Object> offlineJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("biased", true);
        m.put("note", "computed on the logged lists and their feedback only: clicks happen where the logging policy "
                + "put items, so these favour the logged policy; use the off-policy estimates to compare policies");
        Map<String, Object> ctr = new LinkedHashMap<>();
        Map<String, Object> hit = new LinkedHashMap<>();
        for (int j = 0; j < KS.length; j++) {
            if (loggedSlotsAtK[j] > 0) ctr.put(String.valueOf(KS[j]), loggedRewardAtK[j] / loggedSlotsAtK[j]);
            if (clickedItems > 0) hit.put(String.valueOf(KS[j]), clickedInCandidateTopK[j] / clickedItems);
        }
        m.put("loggedCtrAtK", ctr);
        m.put("rewardedItems", (long) clickedItems);
        m.put("rewardedItemsInCandidateTopK", hit);
        return m;
    }
}
