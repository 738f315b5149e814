package io.ranker.explore;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The stochastic part of one request: a pool of candidates with positive weights, drawn sequentially
 * without replacement into the sampled positions (in increasing order). A candidate is eligible at a
 * position when no cap covering that position is full; when nothing is eligible the caps are relaxed for
 * that draw (as in {@link Frame}). Each draw picks among the eligible candidates in proportion to weight.
 *
 * <p>Computes the sequential choice probabilities of any drawn sequence, and the per-position marginals
 * P(candidate at position) by closed form (uniform weights, no binding cap), exact subset dynamic
 * programming (small pools), or a Rao-Blackwellised Monte Carlo estimate: each simulated run contributes
 * the conditional probability of choosing the candidate at that step given the run's earlier draws, which
 * is unbiased, never zero where the candidate has support, and has far lower variance than counting hits.
 */
final class SamplingProblem {
    /** Relative weight floor: keeps every pool candidate in the support (off-policy estimators need it). */
    static final double MIN_RELATIVE_WEIGHT = 1e-10;

    final Frame frame;
    /** Number of pool candidates. */
    final int n;
    /** Ranked index of each pool candidate. */
    final int[] poolRanked;
    final double[] weight;
    final double totalWeight;
    /** Number of sampled positions. */
    final int steps;
    /** The sampled positions (1-based, increasing). */
    final int[] stepPosition;
    /** Pool index of the deterministic list's candidate at each sampled position (-1: not in the pool). */
    final int[] detPicks;
    final boolean uniform;

    // caps, restricted to the slots that can bind within this problem
    final int slots;
    final int[] slotMax;
    final int[] slotTopK;
    final int[] initCount;
    final int[][] itemSlots;
    final int[][] slotItems;

    SamplingProblem(Frame frame, int[] stepPosition, int[] poolRanked, double[] weight) {
        this.frame = frame;
        this.stepPosition = stepPosition;
        this.steps = stepPosition.length;
        this.poolRanked = poolRanked;
        this.n = poolRanked.length;
        this.weight = weight;
        double total = 0;
        boolean same = true;
        for (int i = 0; i < n; i++) {
            total += weight[i];
            same &= weight[i] == weight[0];
        }
        this.totalWeight = total;
        this.uniform = same;
        int[] poolOf = new int[frame.ranked.size()];
        Arrays.fill(poolOf, -1);
        for (int i = 0; i < n; i++) poolOf[poolRanked[i]] = i;
        detPicks = new int[steps];
        boolean[] sampled = new boolean[frame.length + 1];
        for (int k = 0; k < steps; k++) {
            detPicks[k] = poolOf[frame.det[stepPosition[k] - 1]];
            sampled[stepPosition[k]] = true;
        }

        // Which (cap, value) slots can bind: held candidates plus pool candidates exceed the cap somewhere
        // a draw happens. The others can never block a draw and are dropped, so most requests sample capless.
        CapIndex caps = frame.caps;
        int all = caps.slotCount();
        int[] held = new int[all];
        int[] inPool = new int[all];
        for (int p = 1; p <= frame.length; p++) {
            if (!sampled[p]) caps.count(frame.det[p - 1], p, held);
        }
        for (int i = 0; i < n; i++) for (int s : caps.slotsOf(poolRanked[i])) inPool[s]++;
        int firstStep = steps == 0 ? Integer.MAX_VALUE : stepPosition[0];
        int[] dense = new int[all];
        int count = 0;
        for (int s = 0; s < all; s++) {
            boolean binds = firstStep <= caps.topK(s) && held[s] + inPool[s] > caps.max(s);
            dense[s] = binds ? count++ : -1;
        }
        slots = count;
        slotMax = new int[count];
        slotTopK = new int[count];
        initCount = new int[count];
        int[] members = new int[count];
        for (int s = 0; s < all; s++) {
            if (dense[s] < 0) continue;
            slotMax[dense[s]] = caps.max(s);
            slotTopK[dense[s]] = caps.topK(s);
            initCount[dense[s]] = held[s];
            members[dense[s]] = inPool[s];
        }
        itemSlots = new int[n][];
        slotItems = new int[count][];
        for (int s = 0; s < count; s++) slotItems[s] = new int[members[s]];
        int[] fill = new int[count];
        int[] buffer = new int[8];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int s : caps.slotsOf(poolRanked[i])) {
                int d = dense[s];
                if (d < 0) continue;
                if (k == buffer.length) buffer = Arrays.copyOf(buffer, 2 * k);
                buffer[k++] = d;
                slotItems[d][fill[d]++] = i;
            }
            itemSlots[i] = Arrays.copyOf(buffer, k);
        }
    }

    /** Softmax weights exp((score - max) / temperature), floored so that no candidate loses all support. */
    static double[] softmaxWeights(double[] scores, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) if (s > max) max = s;
        double[] w = new double[scores.length];
        double logFloor = Math.log(MIN_RELATIVE_WEIGHT);
        for (int i = 0; i < scores.length; i++) {
            double z = Double.isNaN(scores[i]) || max == Double.NEGATIVE_INFINITY ? logFloor
                    : (scores[i] - max) / temperature;
            w[i] = Math.exp(Math.max(z, logFloor));
            if (max == Double.POSITIVE_INFINITY) w[i] = scores[i] == max ? 1.0 : MIN_RELATIVE_WEIGHT;
        }
        return w;
    }

    boolean capless() { return slots == 0; }

    /** The marginals need no computation: every pool candidate is equally likely at every sampled position. */
    boolean closedForm() { return uniform && capless(); }

    // ---------------------------------------------------------------- sequential walk (reference sampler)

    /** State of one sequential draw: which candidates are used and how full each cap slot is. */
    final class Walk {
        final boolean[] used = new boolean[n];
        final int[] counts = initCount.clone();
        boolean relaxed;

        /** Sum of eligible weights at this position; sets {@link #relaxed} when nothing is eligible. */
        double normaliser(int position) {
            double z = 0;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if (!used[i] && allows(i, position)) {
                    z += weight[i];
                    any = true;
                }
            }
            relaxed = !any;
            if (relaxed) {
                for (int i = 0; i < n; i++) if (!used[i]) z += weight[i];
            }
            return z;
        }

        boolean eligible(int i, int position) {
            return !used[i] && (relaxed || allows(i, position));
        }

        boolean allows(int i, int position) {
            for (int s : itemSlots[i]) {
                if (position <= slotTopK[s] && counts[s] >= slotMax[s]) return false;
            }
            return true;
        }

        void take(int i, int position) {
            used[i] = true;
            for (int s : itemSlots[i]) if (position <= slotTopK[s]) counts[s]++;
        }

        /** Draws one eligible candidate in proportion to weight, given the normaliser {@code z}. */
        int draw(int position, double z, SplittableRandom rng) {
            double u = rng.nextDouble() * z;
            int last = -1;
            for (int i = 0; i < n; i++) {
                if (!eligible(i, position)) continue;
                last = i;
                u -= weight[i];
                if (u < 0) return i;
            }
            return last; // rounding left a sliver of u: the last eligible candidate owns it
        }
    }

    /** Draws the sampled positions; fills {@code picks} (pool indices) and their sequential choice probabilities. */
    void sample(SplittableRandom rng, int[] picks, double[] choice) {
        Walk walk = new Walk();
        for (int k = 0; k < steps; k++) {
            int pos = stepPosition[k];
            double z = walk.normaliser(pos);
            int i = walk.draw(pos, z, rng);
            picks[k] = i;
            choice[k] = weight[i] / z;
            walk.take(i, pos);
        }
    }

    /**
     * Sequential choice probabilities of a given sequence of pool indices: their product is the sequence's
     * probability under this sampler. A pick of -1 (not in the pool) or an ineligible pick gets 0.
     */
    void choiceProbabilities(int[] picks, double[] choice) {
        Walk walk = new Walk();
        for (int k = 0; k < steps; k++) {
            int pos = stepPosition[k];
            double z = walk.normaliser(pos);
            int i = picks[k];
            if (i < 0) {
                choice[k] = 0;
                continue;
            }
            choice[k] = walk.eligible(i, pos) ? weight[i] / z : 0;
            walk.take(i, pos);
        }
    }

    // ---------------------------------------------------------------- marginals

    /** How a marginal was obtained: exactly, or with this many Monte Carlo samples. */
    record Method(boolean exact, int samples) {
    }

    /**
     * P(picks[k] at step k) for each k, exact when possible; {@code stdError} gets the Monte Carlo standard
     * error (0 when exact). {@code seed} is the request seed: the Monte Carlo stream is derived from it, so
     * the estimate is reproducible.
     */
    Method marginalsOf(int[] picks, long seed, int mcSamples, int exactMaxPool, double[] out, double[] stdError) {
        Arrays.fill(stdError, 0, steps, 0.0);
        if (steps == 0) return new Method(true, 0);
        if (closedForm()) {
            for (int k = 0; k < steps; k++) out[k] = picks[k] < 0 ? 0 : 1.0 / n;
            return new Method(true, 0);
        }
        if (n <= exactMaxPool) {
            double[][] exact = exactMarginals();
            for (int k = 0; k < steps; k++) out[k] = picks[k] < 0 ? 0 : exact[k][picks[k]];
            return new Method(true, 0);
        }
        // the first draw's state is known, so its marginal is exact; the rest by Monte Carlo
        Walk walk = new Walk();
        double z = walk.normaliser(stepPosition[0]);
        out[0] = picks[0] < 0 || !walk.eligible(picks[0], stepPosition[0]) ? 0 : weight[picks[0]] / z;
        if (steps == 1) return new Method(true, 0);
        SplittableRandom mc = new SplittableRandom(SeedDerivation.monteCarloSeed(seed));
        AliasMonteCarlo estimator = new AliasMonteCarlo(this);
        estimator.estimate(picks, 1, mcSamples, mc, out, stdError);
        // A shown item that reaches this position only in rare histories (a heavy item usually taken
        // earlier) gets a zero or very noisy joint estimate, though its probability is positive: it was
        // drawn. Such positions get the importance-sampling estimate that excludes the item instead.
        for (int k = 1; k < steps; k++) {
            if (picks[k] < 0 || (out[k] > 0 && stdError[k] <= 0.1 * out[k])) continue;
            double[] refined = estimator.estimateExcluding(picks[k], k, mcSamples, mc);
            out[k] = refined[0];
            stdError[k] = refined[1];
        }
        return new Method(false, mcSamples);
    }

    /**
     * P(pool candidate i at step k) for every i and k: {@code [steps][n]}. {@code stdError[0]} receives the
     * largest Monte Carlo standard error (0 when exact).
     */
    double[][] allMarginals(long seed, int mcSamples, int exactMaxPool, double[] maxStdError, Method[] method) {
        maxStdError[0] = 0;
        if (closedForm()) {
            double[][] m = new double[steps][n];
            for (double[] row : m) Arrays.fill(row, 1.0 / n);
            method[0] = new Method(true, 0);
            return m;
        }
        if (n <= exactMaxPool) {
            method[0] = new Method(true, 0);
            return exactMarginals();
        }
        double[][] sum = new double[steps][n];
        double[][] sq = new double[steps][n];
        SplittableRandom rng = new SplittableRandom(SeedDerivation.monteCarloSeed(seed));
        for (int r = 0; r < mcSamples; r++) {
            Walk walk = new Walk();
            for (int k = 0; k < steps; k++) {
                int pos = stepPosition[k];
                double z = walk.normaliser(pos);
                for (int i = 0; i < n; i++) {
                    if (walk.eligible(i, pos)) {
                        double v = weight[i] / z;
                        sum[k][i] += v;
                        sq[k][i] += v * v;
                    }
                }
                walk.take(walk.draw(pos, z, rng), pos);
            }
        }
        double worst = 0;
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < n; i++) {
                double mean = sum[k][i] / mcSamples;
                double var = Math.max(0, sq[k][i] / mcSamples - mean * mean);
                worst = Math.max(worst, Math.sqrt(var / mcSamples));
                sum[k][i] = mean;
            }
        }
        maxStdError[0] = worst;
        method[0] = new Method(false, mcSamples);
        return sum;
    }

    /**
     * Exact marginals by dynamic programming over the set of candidates drawn so far (the order of earlier
     * draws does not matter: caps count all of them, since positions only increase). O(2^n * n).
     */
    double[][] exactMarginals() {
        double[][] marginal = new double[steps][n];
        double[] reach = new double[1 << n];
        reach[0] = 1.0;
        int[] counts = new int[slots];
        for (int mask = 0; mask < reach.length; mask++) {
            double p = reach[mask];
            if (p == 0) continue;
            int k = Integer.bitCount(mask);
            if (k >= steps) continue;
            int pos = stepPosition[k];
            System.arraycopy(initCount, 0, counts, 0, slots);
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) for (int s : itemSlots[i]) counts[s]++;
            }
            double z = 0;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) == 0 && allowed(i, pos, counts)) {
                    z += weight[i];
                    any = true;
                }
            }
            boolean relaxed = !any;
            if (relaxed) {
                for (int i = 0; i < n; i++) if ((mask & (1 << i)) == 0) z += weight[i];
            }
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0 || !(relaxed || allowed(i, pos, counts))) continue;
                double q = p * weight[i] / z;
                marginal[k][i] += q;
                reach[mask | (1 << i)] += q;
            }
        }
        return marginal;
    }

    /** Cap check on plain counts (the DP counts every drawn candidate; only slots covering pos matter). */
    private boolean allowed(int i, int pos, int[] counts) {
        for (int s : itemSlots[i]) {
            if (pos <= slotTopK[s] && counts[s] >= slotMax[s]) return false;
        }
        return true;
    }
}
