package io.ranker.explore;

import java.util.SplittableRandom;

/**
 * Monte Carlo estimate of the marginals of a {@link SamplingProblem}, simulating exactly its sequential,
 * cap-constrained sampler. Draws by rejection from a static alias table: sample the initial weights in O(1)
 * and redraw if the candidate is taken or blocked by a full cap. That is an exact draw from the eligible
 * candidates, and while they hold at least a quarter of the weight it takes at most four tries on average;
 * below that it scans the eligible candidates instead. Caps are tracked as per-candidate block counts and a
 * running eligible weight, so a filling cap costs one pass over that value's candidates. Nothing is
 * allocated per simulated run.
 */
final class AliasMonteCarlo {
    private final SamplingProblem sp;
    private final int n;
    private final double[] w;
    private final double[] keep;
    private final int[] alias;
    private final int[] usedStamp;
    // cap state: initial (shared by every run) and current
    private final int[] block0;
    private final int[] block;
    private final boolean[] saturated0;
    private final boolean[] saturated;
    private final boolean[] active;
    private final int[] counts;
    private final double eligibleMass0;
    private final int eligible0;

    AliasMonteCarlo(SamplingProblem sp) {
        this.sp = sp;
        this.n = sp.n;
        this.w = sp.weight;
        this.keep = new double[n];
        this.alias = new int[n];
        this.usedStamp = new int[n];
        buildAlias();
        int slots = sp.slots;
        block0 = new int[n];
        saturated0 = new boolean[slots];
        for (int s = 0; s < slots; s++) {
            // binding slots cover the first drawn position, so a slot full from the start blocks at once
            if (sp.initCount[s] >= sp.slotMax[s]) {
                saturated0[s] = true;
                for (int j : sp.slotItems[s]) block0[j]++;
            }
        }
        double mass = 0;
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            if (block0[i] == 0) {
                mass += w[i];
                eligible++;
            }
        }
        eligibleMass0 = mass;
        this.eligible0 = eligible;
        block = block0.clone();
        saturated = new boolean[slots];
        active = new boolean[slots];
        counts = new int[slots];
    }

    private void buildAlias() {
        buildAlias(-1, sp.totalWeight, keep, alias);
    }

    /**
     * Vose's alias method over the weights without candidate {@code exclude} (-1: none), whose total is
     * {@code total}: column j keeps j with probability keep[j], else gives alias[j].
     */
    private void buildAlias(int exclude, double total, double[] keep, int[] alias) {
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = i == exclude ? 0 : w[i] * n / total;
            if (scaled[i] < 1.0) small[ns++] = i;
            else large[nl++] = i;
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            keep[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            if (scaled[l] < 1.0) small[ns++] = l;
            else large[nl++] = l;
        }
        while (nl > 0) {
            int l = large[--nl];
            keep[l] = 1.0;
            alias[l] = l;
        }
        while (ns > 0) { // only rounding leaves these: they are (almost exactly) full columns
            int s = small[--ns];
            keep[s] = 1.0;
            alias[s] = s;
        }
    }

    /**
     * Rao-Blackwellised estimate of P(targets[k] at step k) for steps {@code from..}: each run adds the
     * conditional probability of choosing the target at step k given the run's earlier draws. Writes the
     * mean into {@code out[k]} and its standard error into {@code stdError[k]}; a target of -1 is skipped.
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
        double quarter = 0.25 * sp.totalWeight;
        double tiny = 1e-9 * sp.totalWeight;
        for (int run = 1; run <= samples; run++) {
            if (slots > 0) {
                System.arraycopy(block0, 0, block, 0, n);
                System.arraycopy(saturated0, 0, saturated, 0, slots);
                System.arraycopy(sp.initCount, 0, counts, 0, slots);
                java.util.Arrays.fill(active, true);
            }
            double unused = sp.totalWeight;
            double mass = eligibleMass0;
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
                            mass += w[j];
                            eligible++;
                        }
                    }
                }
                if (eligible > 0 && mass < tiny) mass = eligibleMass(run); // cancellation: recount exactly
                boolean relaxed = eligible == 0; // nothing satisfies the caps: the draw ignores them
                double z = relaxed ? unused : mass;
                int t = targets[k];
                if (t >= 0 && k >= from) {
                    double v = usedStamp[t] == run || (!relaxed && block[t] != 0) ? 0 : w[t] / z;
                    sum[k] += v;
                    sq[k] += v * v;
                }
                if (k == last) break;
                int i;
                if (z >= quarter) {
                    do {
                        double u = rng.nextDouble() * n;
                        int j = (int) u;
                        i = u - j < keep[j] ? j : alias[j];
                    } while (usedStamp[i] == run || (!relaxed && block[i] != 0));
                } else {
                    i = scan(run, relaxed, z, rng);
                }
                usedStamp[i] = run;
                unused -= w[i];
                if (block[i] == 0) {
                    mass -= w[i];
                    if (--eligible == 0) mass = 0;
                }
                for (int s : sp.itemSlots[i]) {
                    if (pos > sp.slotTopK[s]) continue;
                    if (++counts[s] >= sp.slotMax[s] && active[s] && !saturated[s]) {
                        saturated[s] = true;
                        for (int j : sp.slotItems[s]) {
                            if (++block[j] == 1 && usedStamp[j] != run) {
                                mass -= w[j];
                                if (--eligible == 0) mass = 0;
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

    /**
     * Importance-sampling estimate of P(t at step k), for a shown candidate that the joint estimate above
     * handles badly (a heavy candidate that is usually taken earlier, so few runs reach step k without it).
     * Runs the same sampler on the pool without t for k draws and weights each history by its probability
     * under the real sampler over its probability without t, times the real probability of choosing t next.
     * Every factor is at most 1 and the estimate is positive whenever t has support. Returns {mean, stdError}.
     */
    double[] estimateExcluding(int t, int k, int samples, SplittableRandom rng) {
        double[] keepX = new double[n];
        int[] aliasX = new int[n];
        double totalX = 0;
        for (int i = 0; i < n; i++) if (i != t) totalX += w[i];
        if (totalX <= 0) return new double[]{0, 0};
        buildAlias(t, totalX, keepX, aliasX);
        int slots = sp.slots;
        double quarter = 0.25 * totalX;
        double sum = 0;
        double sq = 0;
        int stampBase = Integer.MIN_VALUE / 2; // stamps disjoint from estimate()'s
        for (int r = 1; r <= samples; r++) {
            int run = stampBase + r;
            if (slots > 0) {
                System.arraycopy(block0, 0, block, 0, n);
                System.arraycopy(saturated0, 0, saturated, 0, slots);
                System.arraycopy(sp.initCount, 0, counts, 0, slots);
                java.util.Arrays.fill(active, true);
            }
            double unused = sp.totalWeight; // includes t: t is never drawn
            double mass = eligibleMass0;
            int eligible = eligible0;
            double ratio = 1.0;
            for (int j = 0; j <= k; j++) {
                int pos = sp.stepPosition[j];
                for (int s = 0; s < slots; s++) {
                    if (!active[s] || pos <= sp.slotTopK[s]) continue;
                    active[s] = false;
                    if (!saturated[s]) continue;
                    saturated[s] = false;
                    for (int x : sp.slotItems[s]) {
                        if (--block[x] == 0 && usedStamp[x] != run) {
                            mass += w[x];
                            eligible++;
                        }
                    }
                }
                boolean tEligible = block[t] == 0;
                if (eligible > 0 && mass < 1e-6 * sp.totalWeight) mass = eligibleMass(run);
                boolean fullRelaxed = eligible == 0;
                if (j == k) {
                    ratio *= fullRelaxed ? w[t] / unused : tEligible ? w[t] / mass : 0;
                    break;
                }
                boolean minusRelaxed = eligible - (tEligible ? 1 : 0) == 0;
                double zMinus = minusRelaxed ? unused - w[t] : mass - (tEligible ? w[t] : 0);
                if (zMinus < 1e-6 * sp.totalWeight) zMinus = massExcluding(run, t, minusRelaxed);
                if (zMinus <= 0) { // only t is left: the real sampler takes t before step k
                    ratio = 0;
                    break;
                }
                int h;
                if (zMinus >= quarter) {
                    do {
                        double u = rng.nextDouble() * n;
                        int c = (int) u;
                        h = u - c < keepX[c] ? c : aliasX[c];
                    } while (h == t || usedStamp[h] == run || (!minusRelaxed && block[h] != 0));
                } else {
                    h = scanExcluding(run, t, minusRelaxed, zMinus, rng);
                }
                double pFull = fullRelaxed ? w[h] / unused : block[h] == 0 ? w[h] / mass : 0;
                ratio *= pFull / (w[h] / zMinus);
                if (ratio == 0) break;
                usedStamp[h] = run;
                unused -= w[h];
                if (block[h] == 0) {
                    mass -= w[h];
                    if (--eligible == 0) mass = 0;
                }
                for (int s : sp.itemSlots[h]) {
                    if (pos > sp.slotTopK[s]) continue;
                    if (++counts[s] >= sp.slotMax[s] && active[s] && !saturated[s]) {
                        saturated[s] = true;
                        for (int x : sp.slotItems[s]) {
                            if (++block[x] == 1 && usedStamp[x] != run) {
                                mass -= w[x];
                                if (--eligible == 0) mass = 0;
                            }
                        }
                    }
                }
            }
            sum += ratio;
            sq += ratio * ratio;
        }
        java.util.Arrays.fill(usedStamp, 0); // estimate() stamps start again from 1
        double mean = sum / samples;
        return new double[]{mean, Math.sqrt(Math.max(0, sq / samples - mean * mean) / samples)};
    }

    private double massExcluding(int run, int t, boolean relaxed) {
        double z = 0;
        for (int i = 0; i < n; i++) {
            if (i != t && usedStamp[i] != run && (relaxed || block[i] == 0)) z += w[i];
        }
        return z;
    }

    private int scanExcluding(int run, int t, boolean relaxed, double z, SplittableRandom rng) {
        double u = rng.nextDouble() * z;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (i == t || usedStamp[i] == run || (!relaxed && block[i] != 0)) continue;
            last = i;
            u -= w[i];
            if (u < 0) return i;
        }
        return last;
    }

    /** Linear draw among the remaining (relaxed: ignoring caps) candidates; z is their weight. */
    private int scan(int run, boolean relaxed, double z, SplittableRandom rng) {
        double u = rng.nextDouble() * z;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (usedStamp[i] == run || (!relaxed && block[i] != 0)) continue;
            last = i;
            u -= w[i];
            if (u < 0) return i;
        }
        return last;
    }

    private double eligibleMass(int run) {
        double z = 0;
        for (int i = 0; i < n; i++) if (usedStamp[i] != run && block[i] == 0) z += w[i];
        return z;
    }
}
