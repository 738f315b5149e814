package io.ranker.scoring.forest;

import java.util.Map;

/**
 * How an XGBoost objective turns the stored {@code base_score} into a margin (XGBoost's {@code ProbToMargin},
 * applied when a model is loaded) and the summed margin into a prediction ({@code PredTransform}), in float32
 * as XGBoost computes them (src/objective/regression_loss.h, regression_obj.cu, hinge.cu; rank:* objectives
 * override neither, so they are the identity).
 */
public enum Objective {
    /** Margin is the prediction: squared/absolute/pseudo-Huber error, logitraw and the rank:* objectives. */
    IDENTITY {
        @Override
        public float marginOf(float baseScore) { return baseScore; }

        @Override
        public float transform(float margin) { return margin; }
    },
    /** binary:logistic, reg:logistic: base_score is a probability, predictions are sigmoid(margin). */
    LOGISTIC {
        @Override
        public float marginOf(float baseScore) {
            float p = Math.min(Math.max(baseScore, RT_EPS), 1.0f - RT_EPS);
            return -(float) Math.log(1.0f / p - 1.0f);
        }

        @Override
        public float transform(float margin) {
            // common::Sigmoid(float): 1 / (expf(min(-x, 88.7)) + 1 + 1e-16f); the epsilon vanishes in float32
            float e = (float) Math.exp(Math.min(-margin, 88.7f));
            return 1.0f / (e + 1.0f + 1e-16f);
        }
    },
    /** count:poisson, reg:gamma, reg:tweedie, survival:cox: log link. */
    EXP {
        @Override
        public float marginOf(float baseScore) { return (float) Math.log(baseScore); }

        @Override
        public float transform(float margin) { return (float) Math.exp(margin); }
    },
    /** binary:hinge: predicts the class, 1 when the margin is positive. */
    HINGE {
        @Override
        public float marginOf(float baseScore) { return baseScore; }

        @Override
        public float transform(float margin) { return margin > 0.0f ? 1.0f : 0.0f; }
    };

    /** XGBoost's kRtEps, the bound applied to a logistic base_score. */
    static final float RT_EPS = 1e-6f;

    private static final Map<String, Objective> BY_NAME = Map.ofEntries(
            Map.entry("reg:squarederror", IDENTITY),
            Map.entry("reg:linear", IDENTITY),
            Map.entry("reg:squaredlogerror", IDENTITY),
            Map.entry("reg:pseudohubererror", IDENTITY),
            Map.entry("reg:absoluteerror", IDENTITY),
            Map.entry("binary:logitraw", IDENTITY),
            Map.entry("rank:pairwise", IDENTITY),
            Map.entry("rank:ndcg", IDENTITY),
            Map.entry("rank:map", IDENTITY),
            Map.entry("binary:logistic", LOGISTIC),
            Map.entry("reg:logistic", LOGISTIC),
            Map.entry("count:poisson", EXP),
            Map.entry("reg:gamma", EXP),
            Map.entry("reg:tweedie", EXP),
            Map.entry("survival:cox", EXP),
            Map.entry("binary:hinge", HINGE));

    /** The base score as the margin every row starts from. */
    public abstract float marginOf(float baseScore);

    /** The prediction of a summed margin. */
    public abstract float transform(float margin);

    /**
     * @throws UnsupportedModelException an objective whose transform is not known here (multi-class,
     *                                   quantile and expectile losses, survival:aft, custom objectives)
     */
    public static Objective of(String name) {
        Objective o = name == null ? null : BY_NAME.get(name);
        if (o == null) throw new UnsupportedModelException("objective '" + name + "' is not evaluated in Java");
        return o;
    }
}
