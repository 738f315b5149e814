package io.ranker.replay.obd;

import java.util.SplittableRandom;

/**
 * The Bernoulli Thompson Sampling policy defined by Beta priors, as OBP's {@code BernoulliTS} with
 * {@code is_zozotown_prior=True} evaluates it: for each impression, draw theta_a ~ Beta(alpha_a, beta_a) for every
 * item, rank items by theta descending, and fill positions 1..L with the top L. Its per-position action
 * distribution P(item a at position k) has no closed form, so it is estimated by Monte Carlo
 * ({@code compute_batch_action_dist}, 100,000 draws by default), seeded.
 */
public final class BernoulliThompsonPolicy {
    private final BetaPriors priors;

    public BernoulliThompsonPolicy(BetaPriors priors) {
        this.priors = priors;
    }

    /**
     * @return dist[a][k] = share of draws in which item a filled position k+1; each column sums to 1 (when
     *         items >= positions); the Monte Carlo standard error of an entry p is sqrt(p(1-p)/draws)
     */
    public double[][] actionDistribution(int positions, int draws, long seed) {
        int n = priors.items();
        if (positions > n) {
            throw new IllegalArgumentException(positions + " positions but only " + n + " items");
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[][] counts = new long[n][positions];
        double[] theta = new double[n];
        int[] top = new int[positions];
        for (int d = 0; d < draws; d++) {
            for (int a = 0; a < n; a++) {
                theta[a] = BetaSampler.sample(priors.alpha()[a], priors.beta()[a], random);
            }
            topIndices(theta, top);
            for (int k = 0; k < positions; k++) {
                counts[top[k]][k]++;
            }
        }
        double[][] dist = new double[n][positions];
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < positions; k++) {
                dist[a][k] = counts[a][k] / (double) draws;
            }
        }
        return dist;
    }

    /** Indices of the largest values, descending (partial selection; L is small). */
    static void topIndices(double[] values, int[] top) {
        int filled = 0;
        for (int i = 0; i < values.length; i++) {
            int j = filled < top.length ? filled++ : top.length;
            if (j == top.length) {
                if (values[i] <= values[top[top.length - 1]]) {
                    continue;
                }
                j = top.length - 1;
            }
            while (j > 0 && values[top[j - 1]] < values[i]) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = i;
        }
    }
}
