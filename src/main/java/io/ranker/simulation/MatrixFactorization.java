package io.ranker.simulation;

import java.util.SplittableRandom;

/**
 * Biased matrix factorisation of explicit ratings fitted by stochastic gradient descent (Funk's SVD as in Koren,
 * Bell and Volinsky, "Matrix factorization techniques for recommender systems", IEEE Computer 2009): the predicted
 * rating is {@code mu + b_u + b_i + p_u . q_i}, minimising squared error plus L2 regularisation of biases and
 * factors, visiting the ratings in a seeded random order each epoch. Deterministic for a seed.
 */
public final class MatrixFactorization {
    /** factors k, epochs, SGD step, L2 weight, initial factor scale, seed. */
    public record Settings(int factors, int epochs, double learningRate, double regularization, double initScale, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(16, 40, 0.01, 0.05, 0.1, seed);
        }
    }

    private final double mean;
    private final double[] userBias;
    private final double[] itemBias;
    private final float[][] p;
    private final float[][] q;

    private MatrixFactorization(double mean, double[] userBias, double[] itemBias, float[][] p, float[][] q) {
        this.mean = mean;
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.p = p;
        this.q = q;
    }

    /** Fits the ratings whose index {@code k} has {@code use[k]} (all when {@code use} is null). */
    public static MatrixFactorization fit(MovieLensRatings data, boolean[] use, Settings s) {
        int users = data.users(), items = data.movies().size(), k = s.factors();
        SplittableRandom r = new SplittableRandom(s.seed());
        int[] order = new int[data.size()];
        int n = 0;
        double sum = 0;
        for (int x = 0; x < data.size(); x++) {
            if (use != null && !use[x]) continue;
            order[n++] = x;
            sum += data.rating(x);
        }
        if (n == 0) throw new IllegalArgumentException("no ratings to factorise");
        double mu = sum / n;
        float[][] p = new float[users][k], q = new float[items][k];
        for (float[] row : p) for (int f = 0; f < k; f++) row[f] = (float) (s.initScale() * r.nextGaussian());
        for (float[] row : q) for (int f = 0; f < k; f++) row[f] = (float) (s.initScale() * r.nextGaussian());
        double[] bu = new double[users], bi = new double[items];
        double lr = s.learningRate(), reg = s.regularization();
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            for (int a = n - 1; a > 0; a--) { // Fisher-Yates: a fresh visiting order per epoch
                int b = r.nextInt(a + 1);
                int t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
            for (int a = 0; a < n; a++) {
                int x = order[a], u = data.user(x), i = data.movie(x);
                float[] pu = p[u], qi = q[i];
                double dot = 0;
                for (int f = 0; f < k; f++) dot += pu[f] * qi[f];
                double err = data.rating(x) - (mu + bu[u] + bi[i] + dot);
                bu[u] += lr * (err - reg * bu[u]);
                bi[i] += lr * (err - reg * bi[i]);
                for (int f = 0; f < k; f++) {
                    float pf = pu[f], qf = qi[f];
                    pu[f] += (float) (lr * (err * qf - reg * pf));
                    qi[f] += (float) (lr * (err * pf - reg * qf));
                }
            }
        }
        return new MatrixFactorization(mu, bu, bi, p, q);
    }

    /** Predicted stars of user index {@code u} for movie index {@code i}, clamped to the 0.5..5 scale. */
    public double predict(int u, int i) {
        double dot = 0;
        float[] pu = p[u], qi = q[i];
        for (int f = 0; f < pu.length; f++) dot += pu[f] * qi[f];
        return Math.max(0.5, Math.min(5.0, mean + userBias[u] + itemBias[i] + dot));
    }

    public double mean() { return mean; }

    public float[] userFactors(int u) { return p[u].clone(); }

    public float[] itemFactors(int i) { return q[i].clone(); }

    public int factors() { return p.length == 0 ? 0 : p[0].length; }
}
