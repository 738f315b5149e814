package io.ranker.replay.obd;

/**
 * Priors whose Beta draws never cross: item 2 (theta about 1) > item 0 (about 0.5) > item 3 (about 1e-4) >
 * item 1 (about 1e-6), so the policy shows items 2, 0, 3 at positions 1, 2, 3 with probability 1.
 */
final class SeparatedPriors {
    static final double[] ALPHA = {1000, 1, 100000, 10};
    static final double[] BETA = {1000, 1000000, 10, 100000};

    static BernoulliThompsonPolicy policy() {
        return new BernoulliThompsonPolicy(new BetaPriors("t", ALPHA, BETA));
    }

    static String yaml() {
        return "t:\n  alpha: [1000.0, 1.0, 100000.0, 10.0]\n  beta: [1000.0, 1000000.0, 10.0, 100000.0]\n"
                + "other:\n  alpha: [1.0]\n  beta: [1.0]\n";
    }
}
