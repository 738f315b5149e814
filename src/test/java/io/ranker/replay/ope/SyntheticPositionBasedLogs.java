package io.ranker.replay.ope;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small world with a known truth: two user types, six items, three positions, a position-based click model
 * P(click) = examination(position) * relevance(user, item), and two Plackett-Luce policies (logging and target)
 * whose exact item-position marginals and prefix probabilities come from enumerating all 120 ordered lists.
 */
final class SyntheticPositionBasedLogs {
    static final int ITEMS = 6, K = 3, USERS = 2;
    static final double[] EXAMINATION = {1.0, 0.6, 0.35};
    static final double[][] RELEVANCE = {
            {0.50, 0.40, 0.30, 0.20, 0.10, 0.05},
            {0.05, 0.10, 0.45, 0.20, 0.35, 0.50}};
    // Logging: nearly uniform exploration; target: concentrates on what it believes relevant.
    static final double[][] LOGGING_SCORES = {{0.3, 0.2, 0.1, 0.0, 0.0, -0.1}, {0.0, 0.1, 0.0, 0.2, 0.1, 0.0}};
    static final double[][] TARGET_SCORES = {{2.0, 1.5, 0.5, 0.0, -0.5, -1.0}, {-1.0, -0.5, 1.2, 0.0, 0.8, 1.8}};

    final double[][][] loggingMarginal = new double[USERS][][];
    final double[][][] targetMarginal = new double[USERS][][];
    final double truth;
    /** The logging policy's own value (position-based model only). */
    final double loggingTruth;
    /**
     * 0 for the position-based model. Above 0, an interaction breaks it (a cascade-type dependence): the click
     * probability at position k > 1 is multiplied by (1 - cascade * relevance of the item above), so a slot's reward
     * depends on the item above it; the truth then comes from enumerating whole lists.
     */
    final double cascade;

    SyntheticPositionBasedLogs() {
        this(0.0);
    }

    SyntheticPositionBasedLogs(double cascade) {
        this.cascade = cascade;
        double value = 0, loggingValue = 0;
        for (int u = 0; u < USERS; u++) {
            loggingMarginal[u] = marginals(LOGGING_SCORES[u]);
            targetMarginal[u] = marginals(TARGET_SCORES[u]);
            for (int k = 0; k < K; k++) {
                for (int a = 0; a < ITEMS; a++) {
                    value += 0.5 * targetMarginal[u][a][k] * EXAMINATION[k] * RELEVANCE[u][a];
                    loggingValue += 0.5 * loggingMarginal[u][a][k] * EXAMINATION[k] * RELEVANCE[u][a];
                }
            }
        }
        loggingTruth = loggingValue / K;
        truth = cascade == 0 ? value / K : listTruth() / K; // mean reward per slot
    }

    double clickProbability(int u, int[] list, int k) {
        double p = EXAMINATION[k] * RELEVANCE[u][list[k]];
        return k == 0 ? p : p * (1 - cascade * RELEVANCE[u][list[k - 1]]);
    }

    /** Expected clicks per list under the target, by enumerating every ordered top-K list. */
    private double listTruth() {
        double[] total = new double[1];
        for (int u = 0; u < USERS; u++) {
            int user = u;
            forEachList(TARGET_SCORES[u], new int[K], 0, 1.0, (list, prob) -> {
                for (int k = 0; k < K; k++) {
                    total[0] += 0.5 * prob * clickProbability(user, list, k);
                }
            });
        }
        return total[0];
    }

    private interface ListVisitor {
        void visit(int[] list, double prob);
    }

    private static void forEachList(double[] scores, int[] list, int k, double prob, ListVisitor visitor) {
        if (k == K) {
            visitor.visit(list, prob);
            return;
        }
        outer:
        for (int a = 0; a < ITEMS; a++) {
            for (int j = 0; j < k; j++) {
                if (list[j] == a) {
                    continue outer;
                }
            }
            list[k] = a;
            forEachList(scores, list, k + 1, prob * choiceProb(scores, list, k), visitor);
        }
    }

    /** Deliberately wrong reward model (shrunk and shifted), so DR must lean on its correction term. */
    static double rewardModel(int u, int a, int k) {
        return 0.7 * EXAMINATION[k] * RELEVANCE[u][a] + 0.02;
    }

    List<ImpressionSample> logs(int n, long seed) {
        return logs(n, seed, false);
    }

    /**
     * @param loggingAsTarget evaluate the logging policy itself (target = logging propensities): with the same
     *                        seed, the same users, lists and clicks as {@code logs(n, seed)}, so the two are paired
     */
    List<ImpressionSample> logs(int n, long seed, boolean loggingAsTarget) {
        double[][][] target = loggingAsTarget ? loggingMarginal : targetMarginal;
        double[][] targetScores = loggingAsTarget ? LOGGING_SCORES : TARGET_SCORES;
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ImpressionSample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int u = rnd.nextInt(USERS);
            int[] list = samplePlackettLuce(LOGGING_SCORES[u], rnd);
            List<SlotSample> slots = new ArrayList<>(K);
            double logPrefix = 1, tgtPrefix = 1;
            for (int k = 0; k < K; k++) {
                int a = list[k];
                logPrefix *= choiceProb(LOGGING_SCORES[u], list, k);
                tgtPrefix *= choiceProb(targetScores[u], list, k);
                double click = rnd.nextDouble() < clickProbability(u, list, k) ? 1 : 0;
                double qTarget = 0;
                for (int b = 0; b < ITEMS; b++) {
                    qTarget += target[u][b][k] * rewardModel(u, b, k);
                }
                slots.add(new SlotSample(k + 1, click, loggingMarginal[u][a][k], target[u][a][k],
                        rewardModel(u, a, k), qTarget, logPrefix, tgtPrefix));
            }
            out.add(new ImpressionSample("s" + i, slots, K, K));
        }
        return out;
    }

    static int[] samplePlackettLuce(double[] scores, SplittableRandom rnd) {
        boolean[] used = new boolean[scores.length];
        int[] list = new int[K];
        for (int k = 0; k < K; k++) {
            double z = 0;
            for (int a = 0; a < scores.length; a++) {
                if (!used[a]) {
                    z += Math.exp(scores[a]);
                }
            }
            double u = rnd.nextDouble() * z;
            int pick = -1;
            for (int a = 0; a < scores.length; a++) {
                if (!used[a]) {
                    pick = a;
                    u -= Math.exp(scores[a]);
                    if (u <= 0) {
                        break;
                    }
                }
            }
            used[pick] = true;
            list[k] = pick;
        }
        return list;
    }

    /** P(list[k] chosen at step k | list[0..k-1] already placed). */
    static double choiceProb(double[] scores, int[] list, int k) {
        double z = 0;
        outer:
        for (int a = 0; a < scores.length; a++) {
            for (int j = 0; j < k; j++) {
                if (list[j] == a) {
                    continue outer;
                }
            }
            z += Math.exp(scores[a]);
        }
        return Math.exp(scores[list[k]]) / z;
    }

    /** Exact P(item a at position k) by enumerating every ordered top-K list. */
    static double[][] marginals(double[] scores) {
        double[][] m = new double[ITEMS][K];
        int[] list = new int[K];
        enumerate(scores, list, 0, 1.0, m);
        return m;
    }

    private static void enumerate(double[] scores, int[] list, int k, double prob, double[][] m) {
        if (k == K) {
            for (int j = 0; j < K; j++) {
                m[list[j]][j] += prob;
            }
            return;
        }
        outer:
        for (int a = 0; a < ITEMS; a++) {
            for (int j = 0; j < k; j++) {
                if (list[j] == a) {
                    continue outer;
                }
            }
            list[k] = a;
            enumerate(scores, list, k + 1, prob * choiceProb(scores, list, k), m);
        }
    }
}
