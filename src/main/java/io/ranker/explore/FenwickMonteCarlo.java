package io.ranker.explore;

import java.util.SplittableRandom;

/**
 * Monte Carlo estimate of the marginals of a {@link SamplingProblem}, simulating exactly its sequential,
 * cap-constrained sampler. Eligible weights live in a Fenwick tree, so a draw and a removal cost O(log n)
 * instead of a scan over the pool; a run resets by array copy. Nothing is allocated per simulated run.
 */
final class FenwickMonteCarlo {
    private final SamplingProblem sp;
    private final int n;
    private final double[] w;
    private final double[] tree0;
    private final double[] tree;
    private final int[] block0;
    private final int[] block;
    private final boolean[] saturated0;
    private final boolean[] saturated;
    private final boolean[] active;
    private final int[] counts;
    private final int[] usedStamp;
    private final double total0;
    private final int eligible0;
    private final int topBit;
    /** Tree updates of the current run (index, delta), undone at its end instead of copying the tree. */
    private int[] journalIndex = new int[64];
    private double[] journalDelta = new double[64];
    private int journalSize;

    FenwickMonteCarlo(SamplingProblem sp) {
        this.sp = sp;
        this.n = sp.n;
        this.w = sp.weight;
        int slots = sp.slots;
        block0 = new int[n];
        saturated0 = new boolean[slots];
        for (int s = 0; s < slots; s++) {
            // binding slots cover the first sampled position, so a slot full from the start blocks at once
            if (sp.initCount[s] >= sp.slotMax[s]) {
                saturated0[s] = true;
                for (int j : sp.slotItems[s]) block0[j]++;
            }
        }
        tree0 = new double[n + 1];
        double total = 0;
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            if (block0[i] == 0) {
                tree0[i + 1] += w[i];
                total += w[i];
                eligible++;
            }
        }
        for (int i = 1; i <= n; i++) {
            int parent = i + (i & -i);
            if (parent <= n) tree0[parent] += tree0[i];
        }
        total0 = total;
        eligible0 = eligible;
        tree = tree0.clone();
        block = block0.clone();
        saturated = new boolean[slots];
        active = new boolean[slots];
        counts = new int[slots];
        usedStamp = new int[n];
        topBit = n == 0 ? 0 : Integer.highestOneBit(n);
    }

    /**
     * Rao-Blackwellised estimate of P(targets[k] at step k) for steps {@code from..}: writes the mean into
     * {@code out[k]} and its standard error into {@code stdError[k]}. A target of -1 is skipped.
     */
    void estimate(int[] targets, int from, int samples, SplittableRandom rng, double[] out, double[] stdError) {
        int steps = sp.steps;
        int last = -1;
        for (int k = from; k < steps; k++) if (targets[k] >= 0) last = k;
        for (int k = from; k < steps; k++) {
            out[k] = 0;
            stdError[k] = 0;
        }
        if (last < 0 || samples <= 0) return;
        double[] sum = new double[steps];
        double[] sq = new double[steps];
        int slots = sp.slots;
        for (int run = 1; run <= samples; run++) {
            if (run > 1) resetRun(run);
            if (slots > 0) {
                System.arraycopy(saturated0, 0, saturated, 0, slots);
                System.arraycopy(sp.initCount, 0, counts, 0, slots);
                java.util.Arrays.fill(active, true);
            }
            double total = total0;
            double unusedTotal = sp.totalWeight;
            int eligible = eligible0;
            for (int k = 0; k <= last; k++) {
                int pos = sp.stepPosition[k];
                for (int s = 0; s < slots; s++) {
                    if (!active[s] || pos <= sp.slotTopK[s]) continue;
                    active[s] = false; // this cap's top K is behind us: its full values stop blocking
                    if (!saturated[s]) continue;
                    saturated[s] = false;
                    for (int j : sp.slotItems[s]) {
                        if (--block[j] == 0 && usedStamp[j] != run) {
                            add(j, w[j]);
                            total += w[j];
                            eligible++;
                        }
                    }
                }
                if (eligible > 0 && total <= 0) total = recomputeTotal(run);
                int t = targets[k];
                if (t >= 0 && k >= from) {
                    double v = 0;
                    if (usedStamp[t] != run) {
                        if (eligible > 0) v = block[t] == 0 ? w[t] / total : 0;
                        else v = w[t] / unusedTotal;
                    }
                    sum[k] += v;
                    sq[k] += v * v;
                }
                if (k == last) break;
                int i;
                if (eligible > 0) {
                    i = find(rng.nextDouble() * total);
                    if (i >= n || usedStamp[i] == run || block[i] != 0) i = scan(run, true, total, rng);
                } else {
                    i = scan(run, false, unusedTotal, rng); // nothing satisfies the caps: relaxed draw
                }
                usedStamp[i] = run;
                unusedTotal -= w[i];
                if (block[i] == 0) {
                    add(i, -w[i]);
                    total -= w[i];
                    if (--eligible == 0) total = 0;
                }
                for (int s : sp.itemSlots[i]) {
                    if (pos > sp.slotTopK[s]) continue;
                    if (++counts[s] >= sp.slotMax[s] && active[s] && !saturated[s]) {
                        saturated[s] = true;
                        for (int j : sp.slotItems[s]) {
                            if (++block[j] == 1 && usedStamp[j] != run) {
                                add(j, -w[j]);
                                total -= w[j];
                                if (--eligible == 0) total = 0;
                            }
                        }
                    }
                }
            }
        }
        for (int k = from; k <= last; k++) {
            if (targets[k] < 0) continue;
            double mean = sum[k] / samples;
            double var = Math.max(0, sq[k] / samples - mean * mean);
            out[k] = mean;
            stdError[k] = Math.sqrt(var / samples);
        }
    }

    private void add(int i, double delta) {
        if (journalSize == journalIndex.length) {
            journalIndex = java.util.Arrays.copyOf(journalIndex, 2 * journalSize);
            journalDelta = java.util.Arrays.copyOf(journalDelta, 2 * journalSize);
        }
        journalIndex[journalSize] = i;
        journalDelta[journalSize++] = delta;
        for (int x = i + 1; x <= n; x += x & -x) tree[x] += delta;
    }

    /**
     * Back to the initial state. A run touches a few tree entries, so undoing its journal beats copying the
     * tree; rounding drift from add-then-subtract is cleared by a full copy every 256 runs.
     */
    private void resetRun(int run) {
        if ((run & 255) == 0 || journalSize > n / 4) {
            System.arraycopy(tree0, 0, tree, 0, n + 1);
            if (sp.slots > 0) System.arraycopy(block0, 0, block, 0, n);
            journalSize = 0;
            return;
        }
        for (int j = journalSize - 1; j >= 0; j--) {
            double delta = -journalDelta[j];
            for (int x = journalIndex[j] + 1; x <= n; x += x & -x) tree[x] += delta;
        }
        journalSize = 0;
        if (sp.slots > 0) System.arraycopy(block0, 0, block, 0, n);
    }

    /** Index of the first candidate whose cumulative eligible weight exceeds u (n when rounding overshoots). */
    private int find(double u) {
        int pos = 0;
        for (int step = topBit; step > 0; step >>= 1) {
            int next = pos + step;
            if (next <= n && tree[next] <= u) {
                pos = next;
                u -= tree[next];
            }
        }
        return pos;
    }

    /** Linear draw, used only after rounding trouble or when the caps are relaxed. */
    private int scan(int run, boolean eligibleOnly, double z, SplittableRandom rng) {
        double u = rng.nextDouble() * z;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (usedStamp[i] == run || (eligibleOnly && block[i] != 0)) continue;
            last = i;
            u -= w[i];
            if (u < 0) return i;
        }
        return last;
    }

    private double recomputeTotal(int run) {
        double z = 0;
        for (int i = 0; i < n; i++) if (usedStamp[i] != run && block[i] == 0) z += w[i];
        return z;
    }
}
