package io.ranker.training;

import io.ranker.core.Item;
import io.ranker.logging.ImpressionRecord;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.replay.ReplaySources;
import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.ExaminationCurve;
import io.ranker.replay.ope.ImpressionRecordSamples;
import io.ranker.replay.ope.OffPolicyEstimators;
import io.ranker.replay.ope.OpeReport;
import io.ranker.replay.ope.OpeSettings;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.XgboostScorer;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;

/**
 * Trains a ranker from impression logs and feedback ({@code train --data-dir}): one query group per logged list of
 * shown items, labels from feedback weighted per event type, and position-bias correction; a time-based split;
 * NDCG on the held-out period and an off-policy estimate of the new model against the logging policy; the model is
 * registered as a new, non-active version.
 *
 * <p>Which rows: only the items that were shown. Unshown candidates are left out: nobody saw them, so "no click"
 * says nothing about them, and labelling them 0 would teach the model the logging policy's own choices back.
 *
 * <p>Bias correction ({@link Mode#IPS}): clicks at position k are weighted by 1 / exam(k), the examination
 * probability relative to position 1, estimated from the logs with the logged propensities
 * ({@link ExaminationEstimate}). With LambdaMART ({@code rank:ndcg}, linear gain) a clicked item's gain is its
 * label, so this is the inverse-propensity-weighted LambdaMART of unbiased learning to rank (Joachims et al. 2017,
 * Wang et al. 2018). {@link Mode#NAIVE} uses the raw labels. {@link Objective#LAMBDARANK_UNBIASED} instead lets
 * XGBoost estimate the position bias jointly ({@code lambdarank_unbiased}, Hu et al. 2019) from the rows' order
 * in each group (the shown order).
 */
public final class LogTrainer {
    public enum Mode { NAIVE, IPS }

    public enum Objective {
        RANK_NDCG("rank:ndcg"), LAMBDARANK_UNBIASED("lambdarank_unbiased"), POINTWISE("reg:squarederror");

        public final String label;

        Objective(String label) {
            this.label = label;
        }

        public static Objective parse(String s) {
            for (Objective o : values()) if (o.label.equals(s) || o.name().equalsIgnoreCase(s)) return o;
            throw new IllegalArgumentException("unknown objective '" + s + "' (known: rank:ndcg, lambdarank_unbiased, reg:squarederror)");
        }
    }

    /**
     * @param splitAtMillis first timestamp of the test period, or Long.MIN_VALUE to use {@code testFraction}
     * @param testFraction  share of the lists (latest in time) held out when no split time is given
     */
    public record Options(List<Path> logDirs, String surface, long fromMillis, long toMillis, Map<String, Double> labelWeights,
                          Mode mode, Objective objective, long splitAtMillis, double testFraction, int rounds,
                          double eta, int maxDepth, long seed) {
        public static Options defaults(Path logDir, String surface) {
            return new Options(List.of(logDir), surface, Long.MIN_VALUE, Long.MAX_VALUE, Map.of("click", 1.0, "conversion", 3.0),
                    Mode.IPS, Objective.RANK_NDCG, Long.MIN_VALUE, 0.2, 100, 0.1, 6, 0);
        }

        public Options withMode(Mode m) {
            return new Options(logDirs, surface, fromMillis, toMillis, labelWeights, m, objective, splitAtMillis,
                    testFraction, rounds, eta, maxDepth, seed);
        }

        public Options withObjective(Objective o) {
            return new Options(logDirs, surface, fromMillis, toMillis, labelWeights, mode, o, splitAtMillis,
                    testFraction, rounds, eta, maxDepth, seed);
        }

        public Options withRounds(int r) {
            return new Options(logDirs, surface, fromMillis, toMillis, labelWeights, mode, objective, splitAtMillis,
                    testFraction, r, eta, maxDepth, seed);
        }
    }

    /** The registered model and what was measured. {@code report} is what {@code metrics.json} holds. */
    public record Result(ModelRegistry.RegisteredModel model, Map<String, Object> report) {
    }

    private static final int[] NDCG_AT = {1, 3, 5, 10};

    private LogTrainer() {
    }

    /** As {@link #train(Options, ModelRegistry, ReplaySources)} without a replay (see there). */
    public static Result train(Options o, ModelRegistry registry) throws XGBoostError {
        return train(o, registry, null, null);
    }

    /**
     * @param sources what a replay of this log needs (the policy versions, models, the surface's explorer); with it,
     *                position bias is harvested from the logging policy's own randomisation and the new model is
     *                evaluated off-policy by replaying the held-out period with it ({@link OffPolicyEvaluation}), the
     *                way {@code replay --model} would. Without it (the simulator's experiments, whose lists are
     *                randomised alike at every position): {@link ExaminationEstimate} and a model-only ranking of the
     *                logged candidates.
     */
    public static Result train(Options o, ModelRegistry registry, ReplaySources sources) throws XGBoostError {
        return train(o, registry, sources, null);
    }

    /** As above, with {@code afterRound} told the boosting rounds done after each (the command's progress; null: none). */
    public static Result train(Options o, ModelRegistry registry, ReplaySources sources, IntConsumer afterRound)
            throws XGBoostError {
        if (o.mode() == Mode.NAIVE && o.objective() == Objective.LAMBDARANK_UNBIASED) {
            throw new IllegalArgumentException("--naive contradicts --objective lambdarank_unbiased (which corrects position bias):"
                    + " use --objective rank:ndcg for a naive model");
        }
        LoggedLists.Read read = LoggedLists.read(o.logDirs(), o.surface(), o.fromMillis(), o.toMillis(), o.labelWeights(),
                sources == null);
        List<LoggedLists.LoggedList> all = read.lists();
        if (all.size() < 10) {
            throw new IllegalArgumentException("only " + all.size() + " impressions of surface '" + o.surface()
                    + "' with a logged candidate set in " + o.logDirs() + " (" + read.impressions() + " impressions, "
                    + read.withoutCandidates() + " without candidates): need at least 10");
        }
        if (!registry.schemaFeatures().equals(read.featureNames())) {
            throw new IllegalArgumentException("the logs' features differ from the registry's schema: logs " + read.featureNames()
                    + ", registry " + registry.schemaFeatures());
        }
        int cut = splitIndex(all, o);
        List<LoggedLists.LoggedList> train = all.subList(0, cut), test = all.subList(cut, all.size());
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("the split leaves " + train.size() + " training and " + test.size()
                    + " test impressions: choose another --split-at or --test-fraction");
        }
        long testFrom = test.get(0).record().timestamp();
        OffPolicyEvaluation evaluation = sources == null ? null : new OffPolicyEvaluation(sources, o);
        IntToDoubleFunction exam;
        Map<String, Object> examJson;
        if (evaluation != null) {
            ExaminationCurve curve = evaluation.examination(o.fromMillis(), testFrom);
            exam = curve::relativeToFirst;
            examJson = new LinkedHashMap<>(curve.json());
        } else {
            ExaminationEstimate simple = ExaminationEstimate.fromLogs(train);
            exam = simple::at;
            examJson = new LinkedHashMap<>(Map.of("relativeToPosition1", simple.relative(), "exploredShare", simple.explored()));
        }
        examJson.put("usedForLabels", o.mode() == Mode.IPS && o.objective() != Objective.LAMBDARANK_UNBIASED);
        TrainingSet data = trainingSet(train, read.featureNames(), o, exam);

        Map<String, Object> params = new HashMap<>();
        params.put("eta", o.eta());
        params.put("max_depth", o.maxDepth());
        params.put("seed", (int) o.seed());
        switch (o.objective()) {
            case RANK_NDCG -> {
                params.put("objective", "rank:ndcg");
                params.put("ndcg_exp_gain", false); // linear gain: weighted labels need not be integers
            }
            case LAMBDARANK_UNBIASED -> {
                params.put("objective", "rank:ndcg");
                params.put("ndcg_exp_gain", false);
                params.put("lambdarank_unbiased", true);
            }
            case POINTWISE -> params.put("objective", "reg:squarederror");
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("source", "impression logs " + o.logDirs());
        info.put("surface", o.surface());
        info.put("mode", o.mode().name().toLowerCase());
        info.put("objectiveChoice", o.objective().label);
        info.put("labelWeights", o.labelWeights());
        info.put("trainImpressions", train.size());
        info.put("trainUntil", train.get(train.size() - 1).record().timestamp());
        ModelRegistry.RegisteredModel model = new XgboostTrainer().trainAndRegister(data, params, o.rounds(), registry, info, afterRound);
        XgboostScorer scorer = registry.scorer(model.version());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("modelVersion", model.version());
        report.put("active", false);
        report.put("mode", o.mode().name().toLowerCase());
        report.put("objective", o.objective().label);
        report.put("data", Map.of("impressions", read.impressions(), "withoutCandidates", read.withoutCandidates(),
                "feedbackEvents", read.feedbackEvents(), "unreadable", read.unreadable(),
                "train", train.size(), "test", test.size(),
                "testFrom", test.get(0).record().timestamp()));
        report.put("examination", examJson);
        report.put("test", testMetrics(test, scorer, o.seed(), exam));
        report.put("offPolicy", evaluation != null ? evaluation.newModel(model.version(), testFrom, o.toMillis())
                : offPolicy(train, test, scorer, o));
        return new Result(model, report);
    }

    static int splitIndex(List<LoggedLists.LoggedList> all, Options o) {
        if (o.splitAtMillis() != Long.MIN_VALUE) {
            int i = 0;
            while (i < all.size() && all.get(i).record().timestamp() < o.splitAtMillis()) i++;
            return i;
        }
        if (!(o.testFraction() > 0 && o.testFraction() < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + o.testFraction());
        }
        return (int) Math.round(all.size() * (1 - o.testFraction()));
    }

    /** Rows of the shown items, one group per list; IPS divides each label by the examination of its position. */
    public static TrainingSet trainingSet(List<LoggedLists.LoggedList> lists, List<String> names, Options o,
                                          IntToDoubleFunction exam) {
        List<float[]> rows = new ArrayList<>();
        int n = 0;
        for (LoggedLists.LoggedList l : lists) n += l.size();
        float[] labels = new float[n];
        int[] groups = new int[lists.size()];
        int r = 0, g = 0;
        for (LoggedLists.LoggedList l : lists) {
            for (int i = 0; i < l.size(); i++) {
                rows.add(l.features().get(i));
                double y = l.labels()[i];
                if (o.mode() == Mode.IPS && o.objective() != Objective.LAMBDARANK_UNBIASED) {
                    y /= exam.applyAsDouble(l.record().items().get(i).position());
                }
                labels[r++] = (float) y;
            }
            groups[g++] = l.size();
        }
        return TrainingSet.of(names, rows, labels, o.objective() == Objective.POINTWISE ? null : groups, null);
    }

    /**
     * NDCG@k of the new model, the logged order and a random order on the held-out lists, against two labellings:
     * the logged feedback (biased towards the logged order: clicks happen where the logging policy put items), and
     * the feedback divided by the examination of the position it was given at, an unbiased estimate of relevance
     * under the position-based model.
     */
    static Map<String, Object> testMetrics(List<LoggedLists.LoggedList> test, XgboostScorer scorer, long seed,
                                           IntToDoubleFunction exam) {
        int n = 0;
        for (LoggedLists.LoggedList l : test) n += l.size();
        float[] labels = new float[n], debiased = new float[n], model = new float[n], logged = new float[n], random = new float[n];
        int[] groups = new int[test.size()];
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int r = 0, g = 0;
        for (LoggedLists.LoggedList l : test) {
            double[] s = score(scorer, l.features());
            for (int i = 0; i < l.size(); i++) {
                labels[r] = l.labels()[i];
                debiased[r] = (float) (l.labels()[i] / exam.applyAsDouble(l.record().items().get(i).position()));
                model[r] = (float) s[i];
                logged[r] = -i;
                random[r] = (float) rnd.nextDouble();
                r++;
            }
            groups[g++] = l.size();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("note", "NDCG of re-ordering the shown items of the held-out lists. 'debiased': labels = feedback / examination"
                + " of its position (unbiased relevance under the position-based model); 'loggedFeedback': raw labels, biased"
                + " towards the logged order");
        Map<String, Object> fair = new LinkedHashMap<>();
        fair.put("model", ndcg(debiased, model, groups));
        fair.put("loggedOrder", ndcg(debiased, logged, groups));
        fair.put("random", ndcg(debiased, random, groups));
        out.put("debiased", fair);
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("model", ndcg(labels, model, groups));
        raw.put("loggedOrder", ndcg(labels, logged, groups));
        raw.put("random", ndcg(labels, random, groups));
        out.put("loggedFeedback", raw);
        return out;
    }

    private static Map<String, Double> ndcg(float[] labels, float[] scores, int[] groups) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k : NDCG_AT) m.put("ndcg@" + k, Ndcg.mean(k, labels, scores, groups));
        return m;
    }

    /**
     * The new model's value (reward per shown slot) estimated from the held-out logs: the model ranks each logged
     * candidate set (by model score alone: policy rules are the replay command's business) and shows the top
     * positions deterministically; estimated with IPS, SNIPS and DR (reward model: mean reward per position on the
     * training period, so it is fitted on other data than it corrects).
     */
    static Map<String, Object> offPolicy(List<LoggedLists.LoggedList> train, List<LoggedLists.LoggedList> test,
                                         XgboostScorer scorer, Options o) {
        int positions = 0;
        for (LoggedLists.LoggedList l : train) positions = Math.max(positions, l.size());
        double[] sum = new double[positions + 1], cnt = new double[positions + 1];
        for (LoggedLists.LoggedList l : train) {
            for (int i = 0; i < l.size(); i++) {
                int p = l.record().items().get(i).position();
                if (p <= positions) {
                    sum[p] += l.labels()[i];
                    cnt[p]++;
                }
            }
        }
        int maxPos = positions;
        ImpressionRecordSamples.RewardModel q = (id, pos) -> pos <= maxPos && cnt[pos] > 0 ? sum[pos] / cnt[pos] : 0.0;
        OffPolicyEstimators est = new OffPolicyEstimators(OpeSettings.defaults().withSeed(o.seed()));
        for (LoggedLists.LoggedList l : test) {
            ImpressionRecord r = l.record();
            List<ImpressionRecord.LoggedCandidate> cands = r.candidates();
            List<float[]> feats = new ArrayList<>(cands.size());
            for (ImpressionRecord.LoggedCandidate c : cands) feats.add(c.features());
            double[] s = score(scorer, feats);
            Integer[] order = new Integer[cands.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            Map<String, Integer> rank = new HashMap<>();
            for (int k = 0; k < order.length; k++) rank.put(cands.get(order[k]).id(), k + 1);
            List<String> ids = cands.stream().map(ImpressionRecord.LoggedCandidate::id).toList();
            ImpressionRecordSamples.TargetDistribution target = new ImpressionRecordSamples.TargetDistribution() {
                @Override
                public List<String> candidates() { return ids; }

                @Override
                public double marginal(String itemId, int position) {
                    Integer k = rank.get(itemId);
                    return k != null && k == position ? 1.0 : 0.0;
                }
            };
            Map<String, Double> rewards = new HashMap<>();
            for (int i = 0; i < l.size(); i++) rewards.put(r.items().get(i).id(), (double) l.labels()[i]);
            est.add(ImpressionRecordSamples.from(r, rewards, target, q, null, null));
        }
        OpeReport rep = est.report();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("note", "value = reward per shown slot on the test period; the model ranks the logged candidates by its score");
        out.put("loggingPolicy", estimate(rep.loggedValueCi()));
        Map<String, Object> e = new LinkedHashMap<>();
        rep.estimates().forEach((k, v) -> e.put(k, estimate(v)));
        out.put("newModel", e);
        out.put("ess", rep.ess());
        out.put("maxWeight", rep.maxWeight());
        out.put("warnings", rep.warnings());
        return out;
    }

    private static Map<String, Object> estimate(Estimate e) {
        return Map.of("value", e.value(), "ci95", List.of(e.lo(), e.hi()));
    }

    private static final RankingContext OFFLINE = new RankingContext(
            new RankRequest("offline", null, null, null, null, null, 10, false, null), "offline-training", 0);

    static double[] score(XgboostScorer scorer, List<float[]> features) {
        List<Candidate> cands = new ArrayList<>(features.size());
        int i = 0;
        for (float[] f : features) {
            Candidate c = new Candidate("c" + i++, (Item) null);
            c.setFeatures(f);
            cands.add(c);
        }
        return scorer.score(OFFLINE, cands);
    }
}
