package io.ranker.replay.ope;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput of the item-position estimators on one thread, for logged candidate sets of 100 and 10 shown
 * positions, with the reward-model terms computed over all 100 candidates per position (the DR baseline and the
 * support mass) and 1,000 bootstrap replicates. Measured in the thread's CPU time, so a busy shared machine does
 * not fail it; the goal (and the floor asserted) is 20,000 impressions per second on one core.
 */
class OffPolicyThroughputTest {
    private static final int CANDIDATES = 100, SHOWN = 10, POOL = 200;

    @Test
    void streamsImpressionsWithCandidateSetsOf100() {
        SplittableRandom rnd = new SplittableRandom(3);
        // a pool of distinct requests: target marginals, logging marginals and model predictions per (candidate, pos)
        double[][][] target = new double[POOL][CANDIDATES][SHOWN];
        double[][][] logging = new double[POOL][CANDIDATES][SHOWN];
        double[][][] q = new double[POOL][CANDIDATES][SHOWN];
        for (int p = 0; p < POOL; p++) {
            for (int c = 0; c < CANDIDATES; c++) {
                for (int k = 0; k < SHOWN; k++) {
                    target[p][c][k] = rnd.nextDouble() / CANDIDATES * 2;
                    logging[p][c][k] = (0.5 + rnd.nextDouble()) / CANDIDATES;
                    q[p][c][k] = rnd.nextDouble() * 0.1;
                }
            }
        }
        OpeSettings settings = OpeSettings.defaults();
        run(settings, target, logging, q, rnd, 20_000); // warm-up
        int n = 100_000;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        OpeReport report = run(settings, target, logging, q, rnd, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double perSecond = n / seconds;
        double perCpuSecond = n / cpuSeconds;
        // CPU time of this thread: what one core sustains, whatever else shares the machine
        System.out.printf(java.util.Locale.ROOT, "OPE throughput: %.0f impressions per CPU-second on one core"
                        + " (%.0f/s wall clock) for 100 candidates, 10 positions, %d bootstrap replicates%n",
                perCpuSecond, perSecond, settings.bootstrapReplicates());
        assertThat(report.impressions()).isEqualTo(n);
        assertThat(perCpuSecond).isGreaterThan(20_000);
    }

    private static OpeReport run(OpeSettings settings, double[][][] target, double[][][] logging, double[][][] q,
                                 SplittableRandom rnd, int n) {
        OffPolicyEstimators ope = new OffPolicyEstimators(settings);
        for (int i = 0; i < n; i++) {
            int p = i % POOL;
            List<SlotSample> slots = new ArrayList<>(SHOWN);
            double mass = 0, supported = 0;
            for (int k = 0; k < SHOWN; k++) {
                double qTarget = 0;
                for (int c = 0; c < CANDIDATES; c++) {
                    double t = target[p][c][k];
                    qTarget += t * q[p][c][k];
                    mass += t;
                    if (logging[p][c][k] > 0) {
                        supported += t;
                    }
                }
                int shown = (k * 7 + i) % CANDIDATES;
                slots.add(SlotSample.withModel(k + 1, rnd.nextDouble() < 0.05 ? 1 : 0, logging[p][shown][k],
                        target[p][shown][k], q[p][shown][k], qTarget));
            }
            ope.add(new ImpressionSample(null, slots, mass, supported));
        }
        return ope.report();
    }
}
