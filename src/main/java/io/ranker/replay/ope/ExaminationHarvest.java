package io.ranker.replay.ope;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Position bias (the examination probability of each position, relative to a reference position) estimated from
 * the logging policy's own randomisation: intervention harvesting (Agarwal et al., WSDM 2019) with the exact
 * logging distribution of every request.
 *
 * <p>Under the position-based click model P(click | a at k) = exam(k) rel(x, a), for two positions j and k and
 * the items C = {a : pi(a, j) > 0 and pi(a, k) > 0} the logging policy could put at both,
 * <pre>
 *   E[ sum over requests of click(a at k) / pi(a, k), a in C ] = exam(k) * sum over requests of sum_{a in C} rel(x, a)
 * </pre>
 * and the same at j with exam(j): the ratio of the two sums estimates exam(k) / exam(j), whatever the logging
 * policy's ranking, because both sums weigh the same items. Only what the randomisation moves counts: a position
 * held by a rule (a slot, a pin) or protected from exploration holds one item that appears nowhere else, so it
 * shares no item with any other position and is reported as not identified rather than guessed. Only the lists the
 * explore branch drew are harvested, with that branch's probabilities (see {@link #add}); whether a list was explored
 * is logged, and {@link #exploredShare()} counts those.
 *
 * <p>All pairs are kept, so the reference is chosen after the data (the identified position with the most
 * harvested clicks on both sides, normally the first explored one), and a power law exam(k) = k^-eta is fitted
 * through the identified ratios; it is what extrapolates to the positions the randomisation never moves (e.g.
 * position 1 when it is protected). 95% intervals: Poisson bootstrap over requests, as the off-policy estimators.
 * Memory: two sums per position pair per replicate, whatever the number of requests.
 */
public final class ExaminationHarvest {
    /** The logging policy's distribution over (item, position) of one request. */
    public interface LoggingDistribution {
        /** P_log(item at 1-based position). */
        double probability(String itemId, int position);
    }

    /** Probabilities within this of 0 or 1 are 0 or 1 (the explore branch's are derived from the mixture's by subtraction). */
    static final double EPS = 1e-9;
    /** Positions beyond this are not harvested (the pair sums grow with its square). */
    public static final int MAX_POSITIONS = 50;
    /**
     * A pair is identified when at least this many harvested clicks support each side: below it the ratio of two
     * sums of a handful of clicks, and its bootstrap interval, say little.
     */
    static final double MIN_CLICKS = 10;

    private final int replicates;
    private final SplittableRandom random;
    private final int positions;
    /** [j][k]: sum of click/pi at position j over items that could also be at k (total and per replicate). */
    private final double[][] total;
    private final double[][][] boot;
    /** [j][k]: clicks at j on items that could also be at k (for the identification rule). */
    private final double[][] clicks;
    private long requests;
    private long explored;
    private int longest;
    private final long[] randomised;

    public ExaminationHarvest(int replicates, long seed, int positions) {
        this.replicates = replicates;
        this.random = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        this.positions = Math.min(positions, MAX_POSITIONS);
        this.total = new double[this.positions][this.positions];
        this.clicks = new double[this.positions][this.positions];
        this.boot = new double[replicates][this.positions][this.positions];
        this.randomised = new long[this.positions];
    }

    /**
     * Adds one served list. Only lists drawn by the explore branch are harvested, with that branch's own
     * probabilities: a deterministic list says nothing about position bias, and mixing its near-1 probabilities with
     * the explore branch's small ones makes a sum of many light and a few very heavy terms, whose bootstrap interval
     * misses the heavy ones it did not happen to see.
     *
     * @param shown    item ids in position order
     * @param clicked  per position, whether the item was clicked (any positive reward)
     * @param explore  the explore branch's full distribution for this request (exact, from the replayed policy);
     *                 ignored, and may be null, when the list was not explored
     * @param explored whether this list came from the explore branch (as logged)
     */
    public void add(List<String> shown, boolean[] clicked, LoggingDistribution explore, boolean explored) {
        requests++;
        int m = Math.min(shown.size(), positions);
        longest = Math.max(longest, m);
        if (!explored) return;
        this.explored++;
        LoggingDistribution logging = explore;
        for (int k = 1; k <= m; k++) {
            if (logging.probability(shown.get(k - 1), k) < 1.0 - EPS) randomised[k - 1]++;
        }
        List<Harvested> rows = null;
        for (int j = 1; j <= m; j++) {
            if (!clicked[j - 1]) continue;
            String a = shown.get(j - 1);
            double pj = logging.probability(a, j);
            if (!(pj > EPS)) continue; // a list the replayed policy could not show: the caller skips those
            double[] row = null;
            for (int k = 1; k <= positions; k++) {
                if (k == j || !(logging.probability(a, k) > EPS)) continue;
                if (row == null) row = new double[positions];
                row[k - 1] = 1.0 / pj;
                clicks[j - 1][k - 1]++;
                total[j - 1][k - 1] += row[k - 1];
            }
            if (row != null) {
                if (rows == null) rows = new ArrayList<>(2);
                rows.add(new Harvested(j - 1, row));
            }
        }
        if (rows == null) return; // a list without harvested clicks adds nothing to any sum, resampled or not
        long bits = 0;
        for (int rep = 0; rep < replicates; rep++) {
            if ((rep & 3) == 0) bits = random.nextLong();
            int mult = OffPolicyEstimators.POISSON_ONE_TABLE[(int) (bits & 0xFFFF)];
            bits >>>= 16;
            if (mult == 0) continue;
            for (Harvested h : rows) {
                double[] into = boot[rep][h.position];
                for (int k = 0; k < positions; k++) into[k] += mult * h.weights[k];
            }
        }
    }

    /** One clicked position's contributions: 1/pi towards every position its item could also have been at. */
    private record Harvested(int position, double[] weights) {
    }

    public long requests() {
        return requests;
    }

    /** Share of the added lists that came from the explore branch. */
    public double exploredShare() {
        return requests == 0 ? Double.NaN : (double) explored / requests;
    }

    /** Per position, the share of explored lists whose item there was drawn at random (its probability was below 1). */
    public double[] randomisedShare() {
        double[] out = new double[positions];
        for (int k = 0; k < positions; k++) out[k] = explored == 0 ? Double.NaN : (double) randomised[k] / explored;
        return out;
    }

    /** The estimate from the lists added so far. */
    public ExaminationCurve curve() {
        int ref = reference();
        double[] ratio = new double[positions];
        double[] lo = new double[positions];
        double[] hi = new double[positions];
        boolean[] identified = new boolean[positions];
        java.util.Arrays.fill(ratio, Double.NaN);
        java.util.Arrays.fill(lo, Double.NaN);
        java.util.Arrays.fill(hi, Double.NaN);
        if (ref < 0) return new ExaminationCurve(-1, ratio, lo, hi, identified, Double.NaN, Double.NaN, Double.NaN,
                exploredShare(), randomisedShare(), requests, longest);
        for (int k = 0; k < positions; k++) {
            if (k == ref) {
                ratio[k] = lo[k] = hi[k] = 1.0;
                identified[k] = true;
                continue;
            }
            if (!(clicks[k][ref] >= MIN_CLICKS && clicks[ref][k] >= MIN_CLICKS)) continue;
            identified[k] = true;
            ratio[k] = total[k][ref] / total[ref][k];
            double[] reps = new double[replicates];
            for (int r = 0; r < replicates; r++) reps[r] = boot[r][ref][k] > 0 ? boot[r][k][ref] / boot[r][ref][k] : Double.NaN;
            java.util.Arrays.sort(reps);
            lo[k] = OffPolicyEstimators.percentile(reps, 0.025);
            hi[k] = OffPolicyEstimators.percentile(reps, 0.975);
        }
        double[] weight = new double[positions];
        for (int k = 0; k < positions; k++) {
            if (identified[k] && k != ref) weight[k] = 1.0 / (1.0 / clicks[k][ref] + 1.0 / clicks[ref][k]);
        }
        double eta = powerLaw(ratio, weight, ref);
        double[] etas = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            double[] rr = new double[positions];
            for (int k = 0; k < positions; k++) {
                rr[k] = k == ref ? 1.0 : identified[k] && boot[r][ref][k] > 0 ? boot[r][k][ref] / boot[r][ref][k] : Double.NaN;
            }
            etas[r] = powerLaw(rr, weight, ref);
        }
        java.util.Arrays.sort(etas);
        return new ExaminationCurve(ref + 1, ratio, lo, hi, identified, eta, OffPolicyEstimators.percentile(etas, 0.025),
                OffPolicyEstimators.percentile(etas, 0.975), exploredShare(), randomisedShare(), requests, longest);
    }

    /** The position (0-based) sharing the most harvested clicks with the others; -1 when nothing is identified. */
    private int reference() {
        int best = -1;
        double bestClicks = 0;
        for (int j = 0; j < positions; j++) {
            double c = 0;
            for (int k = 0; k < positions; k++) c += Math.min(clicks[j][k], clicks[k][j]);
            if (c > bestClicks + 1e-9) {
                bestClicks = c;
                best = j;
            }
        }
        return bestClicks >= MIN_CLICKS ? best : -1;
    }

    /**
     * Weighted least squares of log ratio on -log(k / ref) through the origin (the reference has ratio 1 by
     * definition); a position's weight is about the inverse variance of its log ratio (1 / (1/clicks at k + 1/clicks
     * at the reference)), 0 where not identified. NaN without an identified position besides the reference.
     */
    static double powerLaw(double[] ratio, double[] weight, int ref) {
        double sxy = 0, sxx = 0;
        for (int k = 0; k < ratio.length; k++) {
            if (k == ref || !(weight[k] > 0) || !(ratio[k] > 0)) continue;
            double x = -Math.log((k + 1.0) / (ref + 1.0));
            sxy += weight[k] * x * Math.log(ratio[k]);
            sxx += weight[k] * x * x;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
