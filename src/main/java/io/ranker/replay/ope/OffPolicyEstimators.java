package io.ranker.replay.ope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Streaming off-policy estimators of a target policy's value from logged impressions. Feed impressions with
 * {@link #add}, then read {@link #report}. Memory is bounded: a handful of sums per bootstrap replicate,
 * whatever the number of impressions.
 *
 * <p>The estimand is the target policy's mean reward per shown slot. With w = targetPropensity /
 * loggingPropensity of a logged (item, position), r its reward, q its reward-model prediction and
 * qT = sum_a P_target(a at k) q(a, k) the model's value of the slot under the target:
 * <ul>
 *   <li>{@code ips}: sum(w r) / slots. Unbiased under the position-based assumption (the reward of a slot depends
 *       only on the item and the position, not on the rest of the list) when the target's support is logged.</li>
 *   <li>{@code snips}: sum(w r) / sum(w). Self-normalized: slightly biased, much lower variance.</li>
 *   <li>{@code dm}: sum(qT) / slots. The reward model alone (biased by the model's error; a reference).</li>
 *   <li>{@code dr}: sum(qT + w (r - q)) / slots. Unbiased if either the propensities or the model are right.</li>
 *   <li>{@code switch_dr}: as dr, but slots with w > tau keep only qT (the definition of OBP's
 *       SwitchDoublyRobust): trades bias for variance on rare, heavily up-weighted slots.</li>
 *   <li>{@code rips}: the list-level cascade estimator (RIPS, Kiyohara et al. 2022, "Doubly robust off-policy
 *       evaluation for ranking policies under the cascade behavior model"), sum_k W_k r_k / slots with
 *       W_k = P_target(prefix 1..k) / P_log(prefix 1..k). Assumes the cascade model: the reward at position k
 *       depends on the items at positions 1..k only (the position-based model is a special case), and needs the
 *       prefix probabilities of both policies (for Plackett-Luce: products of the sequential choice
 *       probabilities). Unbiased under that weaker assumption, at the price of larger weights deeper in the
 *       list.</li>
 * </ul>
 * Clipping ({@link OpeSettings#clipWeight()}) caps every weight before use (ips, snips, dr, switch_dr, rips).
 *
 * <p>Confidence intervals: Poisson bootstrap over impressions. Each impression gets, for each replicate, an
 * independent Poisson(1) multiplicity; each replicate keeps its own sums, and the 95% interval is the 2.5% and
 * 97.5% percentiles of the replicate estimates. This resamples whole lists (slots of one list move together),
 * streams in one pass, and is seeded (same seed and input order, same interval).
 */
public final class OffPolicyEstimators {
    public static final String IPS = "ips";
    public static final String SNIPS = "snips";
    public static final String DM = "dm";
    public static final String DR = "dr";
    public static final String SWITCH_DR = "switch_dr";
    public static final String RIPS = "rips";

    // Per-impression sums; each replicate keeps a row of these.
    private static final int SLOTS = 0, REWARD = 1, IPS_NUM = 2, W_SUM = 3, DM_SUM = 4, DR_SUM = 5,
            SWITCH_SUM = 6, RIPS_SUM = 7, WIDTH = 8;
    /** Poisson(1) by inversion of a 16-bit uniform: one random long gives four bootstrap multiplicities. */
    static final byte[] POISSON_ONE_TABLE = poissonOneTable();

    private final OpeSettings settings;
    private final SplittableRandom random;
    private final double[] total = new double[WIDTH];
    private final double[] replicates; // bootstrapReplicates x WIDTH, row-major
    private final double[] scratch = new double[WIDTH];
    private long impressions;
    private double wSquaredSum;
    private double maxWeight;
    private long clipped;
    private final WeightHistogram weights = new WeightHistogram();
    private long switched;
    private double targetMass;
    private double supportedMass;
    private boolean supportKnown = true;
    private double unsupportedValue;
    private double unsupportedPrefixValue;
    private double unsupportedPrefixMass;
    private double weakValue;
    private double weakExpectedClicks;
    private boolean unsupportedValueKnown = true;
    private boolean prefixSupportKnown = true;
    /** Per position (index = position - 1, up to 100): unsupported target mass summed, and slots seen there. */
    private final double[] unsupportedByPosition = new double[100];
    private final long[] slotsByPosition = new long[100];
    private boolean allHaveModel = true;
    private boolean allHavePrefix = true;

    public OffPolicyEstimators(OpeSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.replicates = new double[settings.bootstrapReplicates() * WIDTH];
    }

    /**
     * Adds one impression.
     *
     * @throws InvalidPropensityException when a logging propensity is outside (0, 1] or a target propensity
     *                                    outside [0, 1] (the message names the record)
     */
    public void add(ImpressionSample impression) {
        long index = impressions;
        double[] s = scratch;
        java.util.Arrays.fill(s, 0.0);
        double ripsWeight = 1.0;
        for (SlotSample slot : impression.slots()) {
            validate(index, impression.recordId(), slot);
            double rawW = slot.targetPropensity() / slot.loggingPropensity();
            double w = Math.min(rawW, settings.clipWeight());
            if (rawW > settings.clipWeight()) {
                clipped++;
            }
            if (rawW > maxWeight) {
                maxWeight = rawW;
            }
            weights.add(rawW);
            double r = slot.reward();
            s[SLOTS] += 1;
            s[REWARD] += r;
            s[IPS_NUM] += w * r;
            s[W_SUM] += w;
            wSquaredSum += w * w;
            if (slot.hasRewardModel()) {
                double correction = w * (r - slot.rewardHat());
                s[DM_SUM] += slot.targetRewardHat();
                s[DR_SUM] += slot.targetRewardHat() + correction;
                if (rawW <= settings.switchTau()) {
                    s[SWITCH_SUM] += slot.targetRewardHat() + correction;
                } else {
                    s[SWITCH_SUM] += slot.targetRewardHat();
                    switched++;
                }
            } else {
                allHaveModel = false;
            }
            if (slot.hasPrefixProbs()) {
                ripsWeight = Math.min(slot.targetPrefixProb() / slot.loggingPrefixProb(), settings.clipWeight());
                s[RIPS_SUM] += ripsWeight * r;
            } else {
                allHavePrefix = false;
            }
        }
        ImpressionSample.SupportGap gap = impression.gap();
        if (gap == null) {
            unsupportedValueKnown = false;
            prefixSupportKnown = false;
        } else {
            if (Double.isNaN(gap.unsupportedValue()) || Double.isNaN(gap.unsupportedPrefixValue())) {
                unsupportedValueKnown = false;
            } else {
                unsupportedValue += gap.unsupportedValue();
                unsupportedPrefixValue += gap.unsupportedPrefixValue();
                weakValue += gap.weakValue();
                weakExpectedClicks += gap.weakExpectedClicks();
            }
            double worst = 0;
            double[] u = gap.unsupportedMass();
            for (int i = 0; i < u.length; i++) {
                worst = Math.max(worst, Math.min(1.0, u[i]));
                unsupportedPrefixMass += worst;
                int p = impression.slots().get(i).position();
                if (p >= 1 && p <= unsupportedByPosition.length) {
                    unsupportedByPosition[p - 1] += u[i];
                    slotsByPosition[p - 1]++;
                }
            }
        }
        if (Double.isNaN(impression.targetMass()) || Double.isNaN(impression.supportedTargetMass())) {
            supportKnown = false;
        } else {
            targetMass += impression.targetMass();
            supportedMass += impression.supportedTargetMass();
        }
        for (int j = 0; j < WIDTH; j++) {
            total[j] += s[j];
        }
        int b = settings.bootstrapReplicates();
        long bits = 0;
        for (int rep = 0; rep < b; rep++) {
            if ((rep & 3) == 0) {
                bits = random.nextLong();
            }
            int k = POISSON_ONE_TABLE[(int) (bits & 0xFFFF)];
            bits >>>= 16;
            if (k == 0) {
                continue;
            }
            int base = rep * WIDTH;
            for (int j = 0; j < WIDTH; j++) {
                replicates[base + j] += k * s[j];
            }
        }
        impressions++;
    }

    private static void validate(long index, String recordId, SlotSample slot) {
        double p = slot.loggingPropensity();
        if (!(p > 0.0 && p <= 1.0)) {
            throw new InvalidPropensityException(index, recordId, "position " + slot.position()
                    + ": logging propensity " + p + " is outside (0, 1]");
        }
        double t = slot.targetPropensity();
        if (!(t >= 0.0 && t <= 1.0)) {
            throw new InvalidPropensityException(index, recordId, "position " + slot.position()
                    + ": target propensity " + t + " is outside [0, 1]");
        }
        if (slot.hasPrefixProbs()) {
            double lp = slot.loggingPrefixProb();
            double tp = slot.targetPrefixProb();
            if (!(lp > 0.0 && lp <= 1.0) || !(tp >= 0.0 && tp <= 1.0)) {
                throw new InvalidPropensityException(index, recordId, "position " + slot.position()
                        + ": prefix probabilities (logging " + lp + ", target " + tp + ") outside (0, 1]");
            }
        }
        if (Double.isNaN(slot.reward()) || Double.isInfinite(slot.reward())) {
            throw new InvalidPropensityException(index, recordId, "position " + slot.position()
                    + ": reward " + slot.reward() + " is not a finite number");
        }
    }

    /**
     * Entry u (0..65535) is the smallest k with P(Poisson(1) <= k) > u / 65536. The 16-bit resolution shifts each
     * probability by less than 2e-5, negligible next to the bootstrap's own Monte Carlo error.
     */
    private static byte[] poissonOneTable() {
        byte[] table = new byte[1 << 16];
        double p = Math.exp(-1.0);
        double cdf = p;
        int k = 0;
        for (int u = 0; u < table.length; u++) {
            while ((u + 0.5) / table.length > cdf && k < 20) {
                k++;
                p /= k;
                cdf += p;
            }
            table[u] = (byte) k;
        }
        return table;
    }

    /** The estimates so far (may be called repeatedly, e.g. for progress). */
    public OpeReport report() {
        Map<String, Estimate> estimates = new LinkedHashMap<>();
        estimates.put(IPS, estimate(IPS_NUM, SLOTS));
        estimates.put(SNIPS, estimate(IPS_NUM, W_SUM));
        if (allHaveModel && impressions > 0) {
            estimates.put(DM, estimate(DM_SUM, SLOTS));
            estimates.put(DR, estimate(DR_SUM, SLOTS));
            estimates.put(SWITCH_DR, estimate(SWITCH_SUM, SLOTS));
        }
        if (allHavePrefix && impressions > 0) {
            estimates.put(RIPS, estimate(RIPS_SUM, SLOTS));
        }
        double slots = total[SLOTS];
        double ess = wSquaredSum > 0 ? total[W_SUM] * total[W_SUM] / wSquaredSum : 0.0;
        double coverage = supportKnown && targetMass > 0 ? supportedMass / targetMass : Double.NaN;
        List<String> warnings = new ArrayList<>();
        if (!Double.isNaN(coverage) && coverage < settings.coverageWarning()) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "support coverage %.3f < %.2f: the target policy puts %.1f%% of its mass on (item, position)"
                            + " pairs the logs never show; IPS-type estimates are biased low there",
                    coverage, settings.coverageWarning(), 100 * (1 - coverage)));
        }
        if (slots > 0 && ess < 0.01 * slots) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "effective sample size %.1f is below 1%% of %d slots: estimates rest on few records",
                    ess, (long) slots));
        }
        if (clipped > 0) {
            warnings.add(clipped + " slot weights clipped at " + settings.clipWeight() + ": estimates are biased");
        }
        return new OpeReport(estimates, impressions, (long) slots, ratio(total[REWARD], slots),
                estimate(REWARD, SLOTS), ess, maxWeight, ratio(total[W_SUM], slots),
                slots > 0 ? clipped / slots : 0.0, slots > 0 ? switched / slots : 0.0, coverage,
                List.copyOf(warnings),
                unsupportedValueKnown && slots > 0 ? unsupportedValue / slots : Double.NaN,
                prefixSupportKnown && slots > 0 ? 1 - unsupportedPrefixMass / slots : Double.NaN,
                unsupportedValueKnown && slots > 0 ? unsupportedPrefixValue / slots : Double.NaN,
                unsupportedShareByPosition(),
                unsupportedValueKnown && slots > 0 ? weakValue / slots : Double.NaN,
                unsupportedValueKnown ? weakExpectedClicks : Double.NaN,
                weights.bins());
    }

    private List<Double> unsupportedShareByPosition() {
        List<Double> out = new ArrayList<>();
        if (!prefixSupportKnown) return out;
        int last = slotsByPosition.length;
        while (last > 0 && slotsByPosition[last - 1] == 0) last--;
        for (int k = 0; k < last; k++) out.add(slotsByPosition[k] == 0 ? Double.NaN : unsupportedByPosition[k] / slotsByPosition[k]);
        return out;
    }

    /**
     * The difference {@code target - baseline} of each estimate both have, with a 95% interval from the paired
     * bootstrap: both were fed the same impressions in the same order with the same seed, so replicate r of each
     * resampled the same impressions, and the interval of the difference is the percentiles of the replicate
     * differences. That interval is much narrower than the two separate intervals suggest, because most of the
     * sampling noise (which users came, what they clicked) is shared by both policies' estimates.
     *
     * @throws IllegalArgumentException when the two were not fed in step (different seed, replicate count or
     *                                  number of impressions): their replicates would not be paired
     */
    public static Map<String, Estimate> difference(OffPolicyEstimators target, OffPolicyEstimators baseline) {
        if (target.settings.seed() != baseline.settings.seed()
                || target.settings.bootstrapReplicates() != baseline.settings.bootstrapReplicates()
                || target.impressions != baseline.impressions) {
            throw new IllegalArgumentException("estimators were not fed in step: their bootstrap replicates are not paired");
        }
        Map<String, Estimate> out = new LinkedHashMap<>();
        out.put(IPS, target.differenceFrom(baseline, IPS_NUM, SLOTS));
        out.put(SNIPS, target.differenceFrom(baseline, IPS_NUM, W_SUM));
        if (target.allHaveModel && baseline.allHaveModel && target.impressions > 0) {
            out.put(DM, target.differenceFrom(baseline, DM_SUM, SLOTS));
            out.put(DR, target.differenceFrom(baseline, DR_SUM, SLOTS));
            out.put(SWITCH_DR, target.differenceFrom(baseline, SWITCH_SUM, SLOTS));
        }
        if (target.allHavePrefix && baseline.allHavePrefix && target.impressions > 0) {
            out.put(RIPS, target.differenceFrom(baseline, RIPS_SUM, SLOTS));
        }
        return out;
    }

    private Estimate differenceFrom(OffPolicyEstimators baseline, int numerator, int denominator) {
        int b = settings.bootstrapReplicates();
        double[] values = new double[b];
        for (int rep = 0; rep < b; rep++) {
            int at = rep * WIDTH;
            values[rep] = ratio(replicates[at + numerator], replicates[at + denominator])
                    - ratio(baseline.replicates[at + numerator], baseline.replicates[at + denominator]);
        }
        java.util.Arrays.sort(values);
        return new Estimate(ratio(total[numerator], total[denominator])
                - ratio(baseline.total[numerator], baseline.total[denominator]),
                percentile(values, 0.025), percentile(values, 0.975));
    }

    private Estimate estimate(int numerator, int denominator) {
        int b = settings.bootstrapReplicates();
        double[] values = new double[b];
        for (int rep = 0; rep < b; rep++) {
            values[rep] = ratio(replicates[rep * WIDTH + numerator], replicates[rep * WIDTH + denominator]);
        }
        java.util.Arrays.sort(values);
        return new Estimate(ratio(total[numerator], total[denominator]),
                percentile(values, 0.025), percentile(values, 0.975));
    }

    private static double ratio(double num, double den) {
        return den > 0 ? num / den : Double.NaN;
    }

    /** Linear interpolation between order statistics (NaN replicates, from empty resamples, sort last). */
    static double percentile(double[] sorted, double q) {
        int n = sorted.length;
        while (n > 0 && Double.isNaN(sorted[n - 1])) {
            n--;
        }
        if (n == 0) {
            return Double.NaN;
        }
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, n - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
