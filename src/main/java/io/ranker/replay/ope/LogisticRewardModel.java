package io.ranker.replay.ope;

import java.util.List;

/**
 * A reward model for the DR family: L2-regularized logistic regression on sparse features, fitted by Newton's
 * method (the feature count is small: one-hot item, position and context features). Feature 0 must be the
 * intercept (value 1 in every row); it is not penalized. Deterministic: the same data give the same weights.
 */
public final class LogisticRewardModel {
    private final double[] weights;

    private LogisticRewardModel(double[] weights) {
        this.weights = weights;
    }

    /** One training row: feature indices (distinct), their values, and a label in [0, 1]. */
    public record Row(int[] index, double[] value, double label) {
    }

    /**
     * @param dimension number of features (max index + 1)
     * @param lambda    L2 penalty on the log-likelihood sum (larger = stronger shrinkage of non-intercept weights)
     */
    public static LogisticRewardModel fit(List<Row> rows, int dimension, double lambda) {
        double[] w = new double[dimension];
        double mean = rows.stream().mapToDouble(Row::label).average().orElse(0.5);
        mean = Math.min(Math.max(mean, 1e-6), 1 - 1e-6);
        w[0] = Math.log(mean / (1 - mean));
        for (int iter = 0; iter < 100; iter++) {
            double[] grad = new double[dimension];
            double[] hess = new double[dimension * dimension];
            for (Row r : rows) {
                double p = sigmoid(dot(w, r));
                double g = p - r.label();
                double h = Math.max(p * (1 - p), 1e-12);
                int[] idx = r.index();
                double[] val = r.value();
                for (int i = 0; i < idx.length; i++) {
                    grad[idx[i]] += g * val[i];
                    int rowBase = idx[i] * dimension;
                    for (int j = 0; j < idx.length; j++) {
                        hess[rowBase + idx[j]] += h * val[i] * val[j];
                    }
                }
            }
            for (int i = 1; i < dimension; i++) {
                grad[i] += lambda * w[i];
                hess[i * dimension + i] += lambda;
            }
            hess[0] += 1e-9; // keeps the system positive definite when the intercept is all there is
            double[] step = solveCholesky(hess, grad, dimension);
            double maxStep = 0;
            for (int i = 0; i < dimension; i++) {
                w[i] -= step[i];
                maxStep = Math.max(maxStep, Math.abs(step[i]));
            }
            if (maxStep < 1e-9) {
                break;
            }
        }
        return new LogisticRewardModel(w);
    }

    public double predict(int[] index, double[] value) {
        double z = 0;
        for (int i = 0; i < index.length; i++) {
            z += weights[index[i]] * value[i];
        }
        return sigmoid(z);
    }

    double[] weights() {
        return weights.clone();
    }

    private static double dot(double[] w, Row r) {
        double z = 0;
        for (int i = 0; i < r.index().length; i++) {
            z += w[r.index()[i]] * r.value()[i];
        }
        return z;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Solves A x = b for symmetric positive definite A (row-major n x n). */
    static double[] solveCholesky(double[] a, double[] b, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    l[i * n + i] = Math.sqrt(Math.max(sum, 1e-12));
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i * n + k] * y[k];
            }
            y[i] = sum / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k * n + i] * x[k];
            }
            x[i] = sum / l[i * n + i];
        }
        return x;
    }
}
