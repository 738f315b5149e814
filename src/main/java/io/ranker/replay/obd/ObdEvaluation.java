package io.ranker.replay.obd;

import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.ImpressionSample;
import io.ranker.replay.ope.LogisticRewardModel;
import io.ranker.replay.ope.OffPolicyEstimators;
import io.ranker.replay.ope.OpeReport;
import io.ranker.replay.ope.OpeSettings;
import io.ranker.replay.ope.SlotSample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Off-policy evaluation of a Bernoulli Thompson Sampling policy (defined by Beta priors) on Open Bandit Dataset
 * logs, as OBP defines it: every CSV row is one round (the small sample does not group rows into impressions), the
 * target propensity of a row is pi_e(item, position) from the policy's Monte Carlo action distribution, and
 * IPS = mean(click * pi_e / propensity_score).
 *
 * <p>DR's reward model: {@link LogisticRewardModel} (L2 logistic regression, lambda {@link #LAMBDA}) on
 * {@link ObdRewardFeatures}, cross-fitted: rows are split into K seeded random folds and each fold's q-hat comes
 * from a model fitted on the other K-1 folds, so no row is scored by a model that saw its own click.
 */
public final class ObdEvaluation {
    public static final double LAMBDA = 30.0;

    /** Inputs of one evaluation besides the data. */
    public record Settings(int draws, long policySeed, int folds, OpeSettings ope) {
    }

    /** The estimates plus what the policy and reward model were, for the JSON output. */
    public record Result(OpeReport report, double[][] actionDist, int rows, long clicks, Settings settings,
                         double modelLogLoss, double baseRateLogLoss) {
    }

    private ObdEvaluation() {
    }

    public static Result evaluate(List<ObdRow> rows, BetaPriors priors, Settings settings) {
        int items = priors.items();
        int positions = rows.stream().mapToInt(ObdRow::position).max().orElseThrow();
        for (ObdRow r : rows) {
            if (r.itemId() >= items) {
                throw new IllegalArgumentException("line " + r.line() + ": item " + r.itemId()
                        + " has no prior (campaign " + priors.campaign() + " has " + items + " items)");
            }
        }
        double[][] dist = new BernoulliThompsonPolicy(priors).actionDistribution(positions, settings.draws(),
                settings.policySeed());
        double[][] q = crossFittedPredictions(rows, items, positions, settings.folds(), settings.policySeed());
        boolean[][] supported = new boolean[items][positions];
        for (ObdRow r : rows) {
            if (r.propensity() > 0) {
                supported[r.itemId()][r.position() - 1] = true;
            }
        }
        OffPolicyEstimators ope = new OffPolicyEstimators(settings.ope());
        long clicks = 0;
        double modelLoss = 0;
        for (int i = 0; i < rows.size(); i++) {
            ObdRow r = rows.get(i);
            int k = r.position() - 1;
            double qTarget = 0, mass = 0, supportedMass = 0;
            for (int a = 0; a < items; a++) {
                qTarget += dist[a][k] * q[i][a];
                mass += dist[a][k];
                if (supported[a][k]) {
                    supportedMass += dist[a][k];
                }
            }
            SlotSample slot = SlotSample.withModel(r.position(), r.click(), r.propensity(),
                    dist[r.itemId()][k], q[i][r.itemId()], qTarget);
            ope.add(new ImpressionSample("line " + r.line(), List.of(slot), mass, supportedMass));
            clicks += r.click();
            modelLoss += logLoss(r.click(), q[i][r.itemId()]);
        }
        double base = clicks / (double) rows.size();
        double baseLoss = 0;
        for (ObdRow r : rows) {
            baseLoss += logLoss(r.click(), base);
        }
        return new Result(ope.report(), dist, rows.size(), clicks, settings, modelLoss / rows.size(),
                baseLoss / rows.size());
    }

    private static double logLoss(int y, double p) {
        double c = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
        return y == 1 ? -Math.log(c) : -Math.log(1 - c);
    }

    /** q[i][a]: predicted click probability of item a at row i's position, from a model that never saw row i. */
    static double[][] crossFittedPredictions(List<ObdRow> rows, int items, int positions, int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be >= 2, got " + folds);
        }
        ObdRewardFeatures features = new ObdRewardFeatures(rows, items, positions);
        int n = rows.size();
        int[] fold = new int[n];
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < n; i++) {
            fold[perm[i]] = i % folds;
        }
        double[][] q = new double[n][items];
        for (int f = 0; f < folds; f++) {
            List<LogisticRewardModel.Row> train = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] != f) {
                    ObdRow r = rows.get(i);
                    train.add(new LogisticRewardModel.Row(features.index(r, r.itemId(), r.position()),
                            features.value(r, r.itemId()), r.click()));
                }
            }
            LogisticRewardModel model = LogisticRewardModel.fit(train, features.dimension(), LAMBDA);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    ObdRow r = rows.get(i);
                    for (int a = 0; a < items; a++) {
                        q[i][a] = model.predict(features.index(r, a, r.position()), features.value(r, a));
                    }
                }
            }
        }
        return q;
    }

    /** The output document: {"estimates": {name: {"value", "ci95"}}, "ess", "loggedValue", ...}. */
    public static Map<String, Object> toJson(Result result) {
        OpeReport r = result.report();
        Map<String, Object> estimates = new LinkedHashMap<>();
        r.estimates().forEach((name, e) -> estimates.put(name, estimateJson(e)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimates", estimates);
        out.put("ess", r.ess());
        out.put("loggedValue", r.loggedValue());
        out.put("loggedValueCi95", List.of(r.loggedValueCi().lo(), r.loggedValueCi().hi()));
        out.put("rows", result.rows());
        out.put("clicks", result.clicks());
        out.put("maxWeight", r.maxWeight());
        out.put("meanWeight", r.meanWeight());
        out.put("clippedShare", r.clippedShare());
        out.put("switchedShare", r.switchedShare());
        out.put("supportCoverage", r.supportCoverage());
        out.put("warnings", r.warnings());
        Settings s = result.settings();
        out.put("policy", Map.of("name", "bernoulli_ts", "mcDraws", s.draws(), "seed", s.policySeed(),
                "actionDist", result.actionDist()));
        out.put("rewardModel", Map.of(
                "kind", "L2 logistic regression (Newton), cross-fitted",
                "features", "intercept, one-hot item, one-hot position, one-hot user_feature_* levels,"
                        + " log1p(user-item affinity of the item)",
                "lambda", LAMBDA, "folds", s.folds(),
                "crossFittedLogLoss", result.modelLogLoss(), "meanClickLogLoss", result.baseRateLogLoss()));
        out.put("bootstrap", Map.of("kind", "poisson", "unit", "row", "replicates", s.ope().bootstrapReplicates(),
                "seed", s.ope().seed()));
        out.put("settings", Map.of("clipWeight", String.valueOf(s.ope().clipWeight()),
                "switchTau", s.ope().switchTau()));
        return out;
    }

    private static Map<String, Object> estimateJson(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", e.value());
        m.put("ci95", List.of(e.lo(), e.hi()));
        return m;
    }
}
