package io.ranker.replay.obd;

import java.util.SplittableRandom;

/** Beta variates as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta) (Marsaglia and Tsang, 2000). */
final class BetaSampler {
    private BetaSampler() {
    }

    static double sample(double alpha, double beta, SplittableRandom random) {
        double x = gamma(alpha, random);
        double y = gamma(beta, random);
        return x / (x + y);
    }

    static double gamma(double shape, SplittableRandom random) {
        if (shape < 1.0) {
            // Gamma(a) = Gamma(a + 1) * U^(1/a)
            return gamma(shape + 1.0, random) * Math.pow(random.nextDouble(), 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1.0 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
