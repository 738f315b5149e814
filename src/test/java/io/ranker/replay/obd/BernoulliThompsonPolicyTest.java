package io.ranker.replay.obd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BernoulliThompsonPolicyTest {

    @Test
    void betaAndGammaSamplesHaveTheRightMoments() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (double[] ab : new double[][]{{2, 5}, {0.5, 0.5}, {47, 12198}}) {
            double a = ab[0], b = ab[1];
            int n = 200_000;
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                double x = BetaSampler.sample(a, b, rnd);
                sum += x;
                sq += x * x;
            }
            double mean = sum / n, var = sq / n - mean * mean;
            double trueMean = a / (a + b);
            double trueVar = a * b / ((a + b) * (a + b) * (a + b + 1));
            // 5 standard errors of the mean; variance within 3%
            assertThat(mean).as("mean of Beta(%s,%s)", a, b).isCloseTo(trueMean, within(5 * Math.sqrt(trueVar / n)));
            assertThat(var / trueVar).as("variance of Beta(%s,%s)", a, b).isCloseTo(1.0, within(0.03));
        }
    }

    @Test
    void topIndicesAreTheLargestDescending() {
        int[] top = new int[3];
        BernoulliThompsonPolicy.topIndices(new double[]{0.1, 0.9, 0.3, 0.95, 0.2, 0.5}, top);
        assertThat(top).containsExactly(3, 1, 5);
        BernoulliThompsonPolicy.topIndices(new double[]{3, 2, 1}, top);
        assertThat(top).containsExactly(0, 1, 2);
        BernoulliThompsonPolicy.topIndices(new double[]{1, 2, 3, 4}, top);
        assertThat(top).containsExactly(3, 2, 1);
    }

    @Test
    void identicalPriorsGiveUniformPositionsWithinMonteCarloError() {
        int n = 5;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 3.0);
        double[][] dist = new BernoulliThompsonPolicy(new BetaPriors("t", ones, ones.clone()))
                .actionDistribution(3, 100_000, 1);
        double se = Math.sqrt(0.2 * 0.8 / 100_000);
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < 3; k++) {
                assertThat(dist[a][k]).isCloseTo(0.2, within(5 * se));
            }
        }
    }

    @Test
    void wellSeparatedPriorsGiveTheirOrderDeterministically() {
        double[][] dist = SeparatedPriors.policy().actionDistribution(3, 100_000, 9);
        assertThat(dist[2][0]).isEqualTo(1.0);
        assertThat(dist[0][1]).isEqualTo(1.0);
        assertThat(dist[3][2]).isEqualTo(1.0);
        assertThat(dist[1]).containsExactly(0.0, 0.0, 0.0);
    }

    @Test
    void sameSeedSameDistribution() {
        BetaPriors p = new BetaPriors("t", new double[]{5, 6, 7, 8}, new double[]{50, 50, 50, 50});
        double[][] a = new BernoulliThompsonPolicy(p).actionDistribution(3, 100_000, 4);
        double[][] b = new BernoulliThompsonPolicy(p).actionDistribution(3, 100_000, 4);
        assertThat(a).isDeepEqualTo(b);
    }
}
