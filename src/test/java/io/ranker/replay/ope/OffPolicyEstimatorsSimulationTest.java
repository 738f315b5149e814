package io.ranker.replay.ope;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Statistical checks against a known truth: across 40 seeds, each estimator's mean is within 3 standard errors
 * of the truth (unbiasedness; SNIPS's O(1/n) bias is far below that), and the 95% bootstrap interval covers the
 * truth in at least 90% of seeds for SNIPS, DR, IPS and RIPS.
 */
class OffPolicyEstimatorsSimulationTest {
    private static final int SEEDS = 40;
    private static final int IMPRESSIONS = 3000;

    @Test
    void worldIsWellFormed() {
        SyntheticPositionBasedLogs world = new SyntheticPositionBasedLogs();
        for (int u = 0; u < SyntheticPositionBasedLogs.USERS; u++) {
            for (int k = 0; k < SyntheticPositionBasedLogs.K; k++) {
                double col = 0;
                for (int a = 0; a < SyntheticPositionBasedLogs.ITEMS; a++) {
                    col += world.targetMarginal[u][a][k];
                }
                assertThat(col).isCloseTo(1.0, within(1e-12));
            }
        }
        // the target is a real change: its value differs clearly from the logging policy's
        OpeReport r = estimate(world, 1);
        assertThat(Math.abs(world.truth - r.loggedValue())).isGreaterThan(0.03);
    }

    @Test
    void estimatorsAreUnbiasedAndIntervalsCoverTheTruth() {
        SyntheticPositionBasedLogs world = new SyntheticPositionBasedLogs();
        List<String> names = List.of("ips", "snips", "dr", "switch_dr", "rips");
        Map<String, double[]> values = new HashMap<>();
        Map<String, Integer> covered = new HashMap<>();
        for (String n : names) {
            values.put(n, new double[SEEDS]);
            covered.put(n, 0);
        }
        for (int seed = 0; seed < SEEDS; seed++) {
            OpeReport r = estimate(world, seed);
            for (String n : names) {
                Estimate e = r.estimates().get(n);
                values.get(n)[seed] = e.value();
                if (e.covers(world.truth)) {
                    covered.merge(n, 1, Integer::sum);
                }
            }
        }
        StringBuilder summary = new StringBuilder("truth=" + world.truth);
        for (String n : names) {
            double[] v = values.get(n);
            double mean = java.util.Arrays.stream(v).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (SEEDS - 1));
            summary.append(String.format(java.util.Locale.ROOT, "%n%s mean=%.5f bias=%.5f sd=%.5f coverage=%d/%d",
                    n, mean, mean - world.truth, sd, covered.get(n), SEEDS));
            assertThat(Math.abs(mean - world.truth)).as(n + " bias; " + summary)
                    .isLessThan(3 * sd / Math.sqrt(SEEDS));
        }
        System.out.println(summary);
        for (String n : List.of("ips", "snips", "dr", "rips")) {
            assertThat(covered.get(n)).as(n + " coverage; " + summary).isGreaterThanOrEqualTo(36);
        }
        // DR with a wrong model still beats IPS on spread (its model removes most of the reward variance)
        assertThat(sd(values.get("dr"))).isLessThan(sd(values.get("ips")));
    }

    /**
     * When a slot's reward depends on the item above it, the item-position assumption fails: IPS is biased, while
     * the cascade estimator RIPS (whose prefix weights cover positions 1..k) stays unbiased and keeps its coverage.
     */
    @Test
    void listLevelEstimatorStaysUnbiasedWhenThePositionBasedAssumptionFails() {
        SyntheticPositionBasedLogs world = new SyntheticPositionBasedLogs(0.9);
        double[] ips = new double[SEEDS], rips = new double[SEEDS];
        int ripsCovered = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            OpeReport r = estimate(world, seed);
            ips[seed] = r.estimates().get("ips").value();
            rips[seed] = r.estimates().get("rips").value();
            if (r.estimates().get("rips").covers(world.truth)) {
                ripsCovered++;
            }
        }
        double ipsBias = mean(ips) - world.truth, ripsBias = mean(rips) - world.truth;
        String summary = String.format(java.util.Locale.ROOT,
                "truth=%.5f ips bias=%.5f (se %.5f) rips bias=%.5f (se %.5f) rips coverage %d/%d", world.truth,
                ipsBias, sd(ips) / Math.sqrt(SEEDS), ripsBias, sd(rips) / Math.sqrt(SEEDS), ripsCovered, SEEDS);
        System.out.println(summary);
        assertThat(Math.abs(ripsBias)).as(summary).isLessThan(3 * sd(rips) / Math.sqrt(SEEDS));
        assertThat(Math.abs(ipsBias)).as(summary).isGreaterThan(4 * sd(ips) / Math.sqrt(SEEDS));
        assertThat(ripsCovered).as(summary).isGreaterThanOrEqualTo(36);
    }

    /**
     * The change (target minus logging policy) with its paired-bootstrap interval: covers the true change in at
     * least 90% of seeds, and is narrower than an interval built from independently resampled estimates (what
     * the pairing buys: the sampling noise both estimates share cancels).
     */
    @Test
    void theChangeAndItsPairedIntervalCoverTheTrueChange() {
        SyntheticPositionBasedLogs world = new SyntheticPositionBasedLogs();
        double trueChange = world.truth - world.loggingTruth;
        List<String> names = List.of("ips", "snips", "dr");
        Map<String, Integer> covered = new HashMap<>();
        Map<String, Double> pairedWidth = new HashMap<>(), unpairedWidth = new HashMap<>();
        double[] snips = new double[SEEDS];
        for (int seed = 0; seed < SEEDS; seed++) {
            OpeSettings settings = OpeSettings.defaults().withSeed(1000 + seed).withReplicates(400).withSwitchTau(1e9);
            OffPolicyEstimators target = new OffPolicyEstimators(settings);
            OffPolicyEstimators logging = new OffPolicyEstimators(settings);
            OffPolicyEstimators loggingUnpaired = new OffPolicyEstimators(settings.withSeed(5000 + seed));
            world.logs(IMPRESSIONS, seed).forEach(target::add);
            for (ImpressionSample s : world.logs(IMPRESSIONS, seed, true)) {
                logging.add(s);
                loggingUnpaired.add(s);
            }
            Map<String, Estimate> paired = OffPolicyEstimators.difference(target, logging);
            OpeReport t = target.report(), u = loggingUnpaired.report();
            snips[seed] = paired.get("snips").value();
            for (String n : names) {
                Estimate d = paired.get(n);
                if (d.covers(trueChange)) covered.merge(n, 1, Integer::sum);
                pairedWidth.merge(n, d.hi() - d.lo(), Double::sum);
                // independent resampling: the difference's spread is about the root sum of squares of the two
                double a = t.estimates().get(n).hi() - t.estimates().get(n).lo();
                double b = u.estimates().get(n).hi() - u.estimates().get(n).lo();
                unpairedWidth.merge(n, Math.sqrt(a * a + b * b), Double::sum);
            }
        }
        String summary = String.format(java.util.Locale.ROOT, "true change %.5f, snips mean %.5f; coverage %s; "
                + "mean width paired %s vs unpaired %s", trueChange, mean(snips), covered, pairedWidth, unpairedWidth);
        System.out.println(summary);
        assertThat(Math.abs(trueChange)).as("the target really differs").isGreaterThan(0.03);
        assertThat(Math.abs(mean(snips) - trueChange)).as(summary).isLessThan(3 * sd(snips) / Math.sqrt(SEEDS));
        for (String n : names) {
            assertThat(covered.getOrDefault(n, 0)).as(n + " coverage; " + summary).isGreaterThanOrEqualTo(36);
            assertThat(pairedWidth.get(n)).as(n + " width; " + summary).isLessThan(unpairedWidth.get(n));
        }
    }

    @Test
    void estimatorsFedOutOfStepAreNotPaired() {
        SyntheticPositionBasedLogs world = new SyntheticPositionBasedLogs();
        OpeSettings settings = OpeSettings.defaults().withReplicates(50);
        OffPolicyEstimators a = new OffPolicyEstimators(settings);
        OffPolicyEstimators b = new OffPolicyEstimators(settings);
        world.logs(10, 1).forEach(a::add);
        world.logs(9, 1, true).forEach(b::add);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OffPolicyEstimators.difference(a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not paired");
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    private static double sd(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
    }

    private static OpeReport estimate(SyntheticPositionBasedLogs world, int seed) {
        OffPolicyEstimators ope = new OffPolicyEstimators(
                OpeSettings.defaults().withSeed(1000 + seed).withReplicates(400).withSwitchTau(1e9));
        world.logs(IMPRESSIONS, seed).forEach(ope::add);
        return ope.report();
    }
}
