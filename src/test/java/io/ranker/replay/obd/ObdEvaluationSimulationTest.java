package io.ranker.replay.obd;

import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.OpeSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole {@code eval obd} path (Monte Carlo BTS policy, cross-fitted reward model, IPS/SNIPS/DR) on simulated
 * Open-Bandit-style logs with a known click model: uniform random logging over 6 items and 3 positions, clicks
 * from a logistic model in item, position and a user feature. The truth of the BTS policy is
 * mean over positions of sum_a pi_e(a, k) E_u[P(click | u, a, k)], with pi_e the action distribution used.
 */
class ObdEvaluationSimulationTest {
    private static final int ITEMS = 6, SEEDS = 30, ROWS = 3000;
    private static final double[] ITEM_EFFECT = {-1.0, -0.5, 0.0, 0.3, 0.6, 1.0};
    private static final double[] POSITION_EFFECT = {0.0, -0.4, -0.8};
    private static final double[] USER_EFFECT = {-0.5, 0.5};

    private static double click(int u, int a, int k) {
        return 1 / (1 + Math.exp(-(-2.0 + ITEM_EFFECT[a] + POSITION_EFFECT[k] + USER_EFFECT[u])));
    }

    private static List<ObdRow> logs(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ObdRow> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            int u = rnd.nextInt(2), a = rnd.nextInt(ITEMS), k = rnd.nextInt(3);
            int y = rnd.nextDouble() < click(u, a, k) ? 1 : 0;
            rows.add(new ObdRow(i + 2, a, k + 1, y, 1.0 / ITEMS, new String[]{"u" + u}, new double[ITEMS]));
        }
        return rows;
    }

    @Test
    void estimatesOfTheBtsPolicyAreUnbiasedAndCoverTheTruth() {
        // the BTS policy favours items 0 and 1 (the least clicked ones): a value far from the logging policy's
        BetaPriors priors = new BetaPriors("sim", new double[]{60, 50, 40, 30, 20, 10},
                new double[]{500, 500, 500, 500, 500, 500});
        String[] names = {"ips", "snips", "dr"};
        double[][] values = new double[names.length][SEEDS];
        int[] covered = new int[names.length];
        double truth = Double.NaN, logged = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            ObdEvaluation.Result result = ObdEvaluation.evaluate(logs(seed), priors, new ObdEvaluation.Settings(
                    100_000, 77, 3, OpeSettings.defaults().withSeed(seed).withReplicates(500)));
            if (seed == 0) {
                truth = 0;
                for (int k = 0; k < 3; k++) {
                    for (int a = 0; a < ITEMS; a++) {
                        truth += result.actionDist()[a][k] * 0.5 * (click(0, a, k) + click(1, a, k)) / 3;
                    }
                }
            }
            logged += result.report().loggedValue() / SEEDS;
            for (int e = 0; e < names.length; e++) {
                Estimate est = result.report().estimates().get(names[e]);
                values[e][seed] = est.value();
                if (est.covers(truth)) {
                    covered[e]++;
                }
            }
        }
        StringBuilder summary = new StringBuilder(String.format(java.util.Locale.ROOT,
                "truth=%.5f logged=%.5f", truth, logged));
        for (int e = 0; e < names.length; e++) {
            double[] v = values[e];
            double mean = java.util.Arrays.stream(v).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (SEEDS - 1));
            summary.append(String.format(java.util.Locale.ROOT, "%n%s mean=%.5f bias=%.5f sd=%.5f coverage=%d/%d",
                    names[e], mean, mean - truth, sd, covered[e], SEEDS));
            assertThat(Math.abs(mean - truth)).as(summary.toString()).isLessThan(3 * sd / Math.sqrt(SEEDS));
        }
        System.out.println(summary);
        assertThat(Math.abs(truth - logged)).as("target differs from logging").isGreaterThan(0.02);
        assertThat(covered[1]).as(summary.toString()).isGreaterThanOrEqualTo(27);
        assertThat(covered[2]).as(summary.toString()).isGreaterThanOrEqualTo(27);
    }
}
