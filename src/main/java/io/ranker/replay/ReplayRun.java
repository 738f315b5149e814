package io.ranker.replay;

import io.ranker.core.Candidate;
import io.ranker.core.DomainException;
import io.ranker.core.FieldError;
import io.ranker.core.PolicyStage;
import io.ranker.core.RankRequest;
import io.ranker.core.RankResult;
import io.ranker.core.RankingContext;
import io.ranker.core.Scorer;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.NoExplorer;
import io.ranker.explore.PolicyPropensities;
import io.ranker.explore.PositionMarginals;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.policy.CompiledPolicy;
import io.ranker.policy.PolicyError;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.ValidationLimits;
import io.ranker.replay.ope.ExaminationCurve;
import io.ranker.replay.ope.ImpressionRecordSamples;
import io.ranker.replay.ope.ImpressionSample;
import io.ranker.replay.ope.OffPolicyEstimators;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One offline replay: for every logged impression of a surface that carries its candidate set (features as
 * served), runs the serving pipeline's ranking half over it ({@link RankingPipeline#rankCandidates}: scoring and its
 * fallback, fallback-source demotion, policy, explorer; no side effect) twice, once as logged (to check the replay
 * reproduces the served list and to get the logging policy's full position distribution) and once as the
 * candidate, then feeds both to the off-policy estimators and the ranking-change statistics. Single-threaded; one
 * instance per run.
 *
 * <p>Two streaming passes over the log ({@link FeedbackJoin} for feedback, then impressions), so memory is
 * bounded by the feedback in range, the per-user seen history ({@code exclude_seen}) and the per-item reward
 * model, never by the number of impressions.
 *
 * <p>What replay cannot reproduce: attributes the log did not record (a candidate rule on them sees no value; the
 * serving policy's own attributes are always logged), item vectors (an {@code mmr} diversify rule), and seen
 * history from before the log's first record.
 */
public final class ReplayRun {
    /** Called every {@code progressEvery} impressions read; {@code total} counts impressions in range. */
    public interface Progress {
        void update(long processed, long total);
    }

    /** The seen history (exclude_seen) is rebuilt from this much log before {@code from}. */
    static final long HISTORY_LEAD_MILLIS = 24 * 3600_000L;
    private static final int USER_MEMORY = 50_000;
    /** Impressions read (and their candidate sets scored) ahead of processing; bounds the extra memory. */
    static final int SCORE_AHEAD = 32;
    private static final int MAX_WINDOW = 4096;
    private static final List<String> EXPOSURE_ATTRIBUTES = List.of("category", "brand");

    private final ReplaySources sources;
    private final ReplayRequest request;
    private final ReplayClock clock = new ReplayClock();
    /** Same per-user depth as the service's default in-memory store (ranking.policy.seen-max-per-user). */
    private final SeenHistory seen = new SeenHistory(200_000, 500);
    private final PolicyParser parser = new PolicyParser(new ValidationLimits(Set.of(), 1000), seen);
    private final LoggedStages logged;
    /** The serving pipeline's ranking half: replay enters it with the logged candidates and stages. */
    private final RankingPipeline pipeline = RankingPipeline.builder().build();
    private final Map<List<String>, Scorer> candidateScorers = new HashMap<>();
    private final CompiledPolicy candidatePolicy;
    /** Cross-fitted over the range before the impressions are evaluated, unless a test injects one. */
    private ProgressiveRewardModel rewardModel;
    private final OffPolicyEstimators candidateOpe;
    private final OffPolicyEstimators loggedOpe;
    /** Position bias from the logging policy's randomisation, harvested from the reproduced logged lists. */
    private final LoggingRandomisation randomisation;
    private final RankingChanges changes = new RankingChanges(EXPOSURE_ATTRIBUTES);
    private final Map<String, String> recentUsers = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > USER_MEMORY;
        }
    };
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final Timings timings = new Timings();

    private long recordsRead, impressionsRead, impressionsInRange, onSurface, withCandidates, replayed,
            reproduced, approximatePrefix;
    private double loggedRewardAll, loggedSlotsAll;

    /** Nanoseconds spent per phase, for the throughput report. */
    static final class Timings {
        long read, rerankLogged, rerankCandidate, estimators, rewardModel;
        /** CPU time of the thread that ran the replay, -1 when the JVM cannot measure it. */
        long cpu = -1;
    }

    /**
     * @throws DomainException 422 when the candidate policy does not validate
     */
    public ReplayRun(ReplaySources sources, ReplayRequest request) {
        this(sources, request, null);
    }

    /** With another reward model (tests: a model that knows the truth). */
    ReplayRun(ReplaySources sources, ReplayRequest request, ProgressiveRewardModel rewardModel) {
        this.rewardModel = rewardModel;
        this.sources = sources;
        this.request = request;
        this.logged = new LoggedStages(sources, parser, clock);
        this.candidatePolicy = request.policyYaml() == null ? null : compileCandidate(request.policyYaml());
        this.candidateOpe = new OffPolicyEstimators(request.ope());
        this.loggedOpe = new OffPolicyEstimators(request.ope());
        this.randomisation = new LoggingRandomisation(request.ope());
    }

    private CompiledPolicy compileCandidate(String yaml) {
        // the checks of publishing (live catalog attributes, surfaces), not the logged policies' lenient parser
        PolicyParser.Result r = new PolicyParser(sources.candidateLimits(), seen).parse(yaml);
        if (!r.valid()) {
            List<FieldError> errors = new ArrayList<>();
            for (PolicyError e : r.errors()) {
                errors.add(new FieldError("/policyYaml" + (e.path() == null || e.path().isEmpty() ? "" : "/" + e.path()),
                        (e.rule() == null ? "" : "rule " + e.rule() + ": ") + e.message(), e.line(), e.column()));
            }
            throw DomainException.unprocessable("the candidate policy is invalid: " + r.errors().get(0).message()
                    + (r.errors().size() > 1 ? " (and " + (r.errors().size() - 1) + " more)" : ""), errors);
        }
        return new CompiledPolicy(r.policy().version(), r.policy().rules(), clock);
    }

    /** Runs the whole replay and returns its report. */
    public ReplayReport run(Progress progress) {
        long started = System.nanoTime();
        long cpuStarted = threadCpu();
        long from = request.from(), to = request.to();
        io.ranker.logging.LogLayout.require(sources.logDirs()); // a missing or empty log is an error, not an empty report
        FeedbackJoin feedback = FeedbackJoin.read(sources.logDirs(), from, to, request.rewards());
        long total = feedback.impressionsInRange();
        if (rewardModel == null) {
            long fit = System.nanoTime();
            rewardModel = CrossFittedRewardModel.fit(sources.logDirs(), request.surface(), from, to, feedback);
            timings.rewardModel = System.nanoTime() - fit;
        }
        long historyFrom = from < Long.MIN_VALUE + HISTORY_LEAD_MILLIS ? Long.MIN_VALUE : from - HISTORY_LEAD_MILLIS;
        LogReader reader = LogReader.of(sources.logDirs()).between(historyFrom, to);
        long t = System.nanoTime();
        List<ReadAhead.Entry> window = new ArrayList<>(2 * SCORE_AHEAD);
        int windowImpressions = 0;
        boolean more = true;
        try (Stream<LogEntry> s = reader.stream()) {
            Iterator<LogEntry> it = s.iterator();
            while (more && it.hasNext()) {
                stopIfInterrupted();
                LogEntry e = it.next();
                ReadAhead.Entry p = new ReadAhead.Entry();
                if (e.isFeedback()) {
                    p.feedback = e;
                } else if (!e.isImpression()) {
                    p.skip = "unknownKind";
                } else {
                    try {
                        p.record = e.impression();
                        windowImpressions++;
                    } catch (UncheckedIOException | IllegalArgumentException ex) {
                        p.skip = "undecodable";
                    }
                }
                window.add(p);
                // feedback between impressions counts too: a stretch of the log holding only feedback stays bounded
                if (windowImpressions >= SCORE_AHEAD || window.size() >= MAX_WINDOW) {
                    timings.read += System.nanoTime() - t;
                    more = drain(window, feedback, progress, total);
                    windowImpressions = 0;
                    t = System.nanoTime();
                }
            }
        }
        timings.read += System.nanoTime() - t;
        if (more) drain(window, feedback, progress, total);
        if (progress != null) progress.update(impressionsInRange, impressionsInRange);
        long cpuEnded = threadCpu();
        if (cpuStarted >= 0 && cpuEnded >= 0) timings.cpu = cpuEnded - cpuStarted;
        return ReplayReport.build(this, feedback, reader.problems(), (System.nanoTime() - started) / 1e9);
    }


    /**
     * A replay job is stopped (cancelled, or past its time or CPU limit: {@link ReplayJobs}) by interrupting its
     * thread; the loops over the log ask at every record.
     */
    static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("replay stopped");
    }

    private static long threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    /**
     * Processes a window of records in log order, exactly as one by one, after scoring the candidate sets of all
     * its replayable impressions with one model call per scorer ({@link ReadAhead}).
     *
     * @return false when {@code maxImpressions} is reached (the rest of the window is dropped uncounted)
     */
    private boolean drain(List<ReadAhead.Entry> window, FeedbackJoin feedback, Progress progress, long total) {
        long t0 = System.nanoTime();
        ReadAhead.score(window, this::scorersAhead);
        timings.rerankLogged += System.nanoTime() - t0;
        try {
            for (ReadAhead.Entry p : window) {
                recordsRead++;
                if (p.feedback != null) {
                    rememberClick(p.feedback);
                    continue;
                }
                if (p.skip != null) {
                    count(p.skip);
                    continue;
                }
                ImpressionRecord r = p.record;
                impressionsRead++;
                if (r.timestamp() >= request.from()) {
                    impressionsInRange++;
                    boolean more = consider(p, feedback);
                    if (impressionsInRange % request.progressEvery() == 0 && progress != null) {
                        progress.update(impressionsInRange, Math.max(total, impressionsInRange));
                    }
                    rememberShown(r);
                    if (!more) return false;
                } else {
                    rememberShown(r);
                }
            }
            return true;
        } finally {
            window.clear();
        }
    }

    /** The models that will score an impression of the window: its logged model (unless it failed) and the candidate. */
    private List<Scorer> scorersAhead(ImpressionRecord r) {
        if (r.timestamp() < request.from() || !request.surface().equals(r.surface())
                || r.candidates() == null || r.featureNames() == null || r.items().isEmpty()) return List.of();
        List<Scorer> scorers = new ArrayList<>(2);
        Optional<Scorer> loggedModel = LoggedStages.modelFailed(r) ? Optional.empty() : logged.scorer(r);
        if (loggedModel != null && loggedModel.isPresent()) scorers.add(loggedModel.get());
        if (request.model() != null) scorers.add(candidateScorer(r.featureNames()));
        return scorers;
    }

    /** @return false when {@code maxImpressions} is reached */
    private boolean consider(ReadAhead.Entry p, FeedbackJoin feedback) {
        ImpressionRecord r = p.record;
        if (!request.surface().equals(r.surface())) return true;
        onSurface++;
        Map<String, Double> rewards = feedback.rewards(r.impressionId());
        for (ImpressionRecord.ShownItem s : r.items()) {
            loggedSlotsAll++;
            loggedRewardAll += rewards.getOrDefault(s.id(), 0.0);
        }
        if (r.candidates() == null || r.featureNames() == null) {
            count("withoutCandidateSet");
            return true;
        }
        withCandidates++;
        if (r.items().isEmpty()) {
            count("emptyList");
            return true;
        }
        replay(p, rewards);
        return request.maxImpressions() <= 0 || replayed < request.maxImpressions();
    }

    private void replay(ReadAhead.Entry p, Map<String, Double> rewards) {
        ImpressionRecord r = p.record;
        clock.set(r.timestamp());
        PolicyStage loggedPolicy = logged.policy(r);
        if (loggedPolicy == null) {
            count("unresolvedLoggedPolicy");
            return;
        }
        // A model that failed at serving time left the retrieval order; so does its replay (and it need not load).
        boolean modelFailed = LoggedStages.modelFailed(r);
        Optional<Scorer> loggedScorer = modelFailed ? Optional.empty() : logged.scorer(r);
        if (loggedScorer == null) {
            count("unresolvedLoggedModel");
            return;
        }
        ExplorerConfig loggedCfg = logged.explorer(r);
        Scorer loggedModel = loggedScorer.orElse(null);
        List<String> loggedIds = new ArrayList<>(r.items().size());
        for (ImpressionRecord.ShownItem s : r.items()) loggedIds.add(s.id());
        int limit = loggedIds.size();

        long t0 = System.nanoTime();
        Rerun asLogged = rerank(r, p, loggedModel, loggedPolicy, loggedCfg, limit, loggedIds);
        long t1 = System.nanoTime();
        boolean same = asLogged.shownIds.equals(loggedIds);
        if (same) {
            reproduced++;
            randomisation.add(loggedIds, rewards, r.explored(), asLogged.view, asLogged.deterministicIds, loggedCfg);
        }
        Rerun candidate;
        if (!request.hasCandidate()) {
            candidate = asLogged;
        } else {
            Scorer scorer = request.model() == null ? loggedModel : candidateScorer(r.featureNames());
            PolicyStage policy = candidatePolicy == null ? loggedPolicy : candidatePolicy;
            ExplorerConfig cfg = request.explorer() == null ? loggedCfg : request.explorer();
            candidate = rerank(r, p, scorer, policy, cfg, limit, loggedIds);
        }
        long t2 = System.nanoTime();
        replayed++;

        Map<String, Map<String, Object>> attrs = new HashMap<>(r.candidates().size() * 2);
        for (ImpressionRecord.LoggedCandidate c : r.candidates()) attrs.put(c.id(), c.attributes());
        changes.add(loggedIds, candidate.shownIds, attrs, rewards);
        rewardModel.forRequest(r.impressionId(), attrs);

        double[] loggingPrefix = loggingPrefix(r, asLogged, same, loggedCfg);
        ImpressionRecordSamples.LoggingPrefix prefix = (rec, k) -> loggingPrefix[k - 1];
        ImpressionRecordSamples.LoggingSupport support = LoggingRandomisation.support(asLogged.view);
        ImpressionSample target = ImpressionRecordSamples.from(r, rewards, candidate.view.asTarget(null, candidate.prefix),
                rewardModel, support, prefix);
        // The logging policy evaluated as a target: its replayed distribution; where the replay did not reproduce
        // the served list, the logged propensities of the shown slots stand in (weight 1).
        ImpressionSample onPolicy = candidate == asLogged && same ? target : ImpressionRecordSamples.from(r, rewards,
                asLogged.view.asTarget(same ? null : r, loggingPrefix), rewardModel, support, prefix);
        candidateOpe.add(target);
        loggedOpe.add(onPolicy);
        for (ImpressionRecord.ShownItem s : r.items()) {
            rewardModel.observe(s.id(), s.position(), rewards.getOrDefault(s.id(), 0.0));
        }
        long t3 = System.nanoTime();
        timings.rerankLogged += t1 - t0;
        timings.rerankCandidate += t2 - t1;
        timings.estimators += t3 - t2;
    }

    /**
     * P_log(logged prefix 1..k). Exact from the replayed logging policy when it reproduced the list; otherwise
     * the mixture formula on the logged sequential choice probabilities (exact for a mixture whose deterministic
     * list differs from the served one at the first explored position), counted as approximate.
     */
    private double[] loggingPrefix(ImpressionRecord r, Rerun logged, boolean same, ExplorerConfig cfg) {
        double[] p = logged.prefix;
        boolean usable = same;
        for (int k = 0; usable && k < p.length; k++) usable = p[k] > 0 && p[k] <= 1;
        if (usable) return p;
        approximatePrefix++;
        return LoggingRandomisation.approximatePrefix(r, cfg);
    }

    /** Runs the pipeline's ranking half over the logged candidates with the given stages, then the full distribution. */
    private Rerun rerank(ImpressionRecord r, ReadAhead.Entry ahead, Scorer scorer, PolicyStage policy, ExplorerConfig cfg,
                         int limit, List<String> loggedIds) {
        RankRequest req = new RankRequest(r.surface(), r.userId(), r.query(), null, r.context(), null, limit, false, null);
        RankingContext ctx = new RankingContext(req, r.impressionId(), r.seed());
        // Candidates the serving explorer kept out as over-exposed stay out here too, or the re-run would sample
        // from a different pool than the one that produced the logged list (and its propensities).
        Set<String> capped = r.exposureCapped().isEmpty() ? Set.of() : Set.copyOf(r.exposureCapped());
        RankingPipeline.Stages stages = new RankingPipeline.Stages(ahead.scorer(scorer), policy, logged.explorer(cfg),
                sources.fallbackSources(), capped);
        RankResult result = pipeline.rankCandidates(ctx, ahead.takeCandidates(), stages, RankingPipeline.Mode.PREVIEW);
        if (scorer != null && ctx.degraded().contains("model:" + scorer.version())) count("modelFailedOnReplay");
        PolicyStage.PolicyOutcome outcome = result.policy();
        Rerun run = new Rerun();
        run.shownIds = new ArrayList<>(result.exploration().shown().size());
        for (Candidate c : result.exploration().shown()) run.shownIds.add(c.id());
        PositionMarginals marginals = PolicyPropensities.of(cfg, outcome.ranked(), outcome.placement(), limit, r.seed(), capped);
        run.view = new MarginalsView(marginals);
        run.deterministicIds = NoExplorer.INSTANCE.explore(outcome.ranked(), outcome.placement(), limit, r.seed()).shown()
                .stream().map(Candidate::id).toList();
        run.prefix = PolicyPropensities.prefixProbabilities(cfg, outcome.ranked(), outcome.placement(), limit, loggedIds, capped);
        return run;
    }

    private Scorer candidateScorer(List<String> featureNames) {
        return candidateScorers.computeIfAbsent(List.copyOf(featureNames), f -> request.model().load(f));
    }

    // ------------------------------------------------------------------ seen history (exclude_seen rules)

    private void rememberShown(ImpressionRecord r) {
        if (r.userId() == null) return;
        recentUsers.put(r.impressionId(), r.userId());
        for (ImpressionRecord.ShownItem s : r.items()) seen.record(r.userId(), s.id(), "shown", r.timestamp());
    }

    private void rememberClick(LogEntry e) {
        try {
            FeedbackEvent f = e.feedback();
            String user = f.impressionId() == null ? null : recentUsers.get(f.impressionId());
            if (user != null && "click".equals(f.type())) seen.record(user, f.itemId(), "clicked", f.timestamp());
        } catch (UncheckedIOException | IllegalArgumentException ex) {
            count("undecodable");
        }
    }

    private void count(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    // ------------------------------------------------------------------ read by the report

    ReplayRequest request() { return request; }

    OffPolicyEstimators candidateOpe() { return candidateOpe; }

    OffPolicyEstimators loggedOpe() { return loggedOpe; }

    RankingChanges changes() { return changes; }

    /** Position bias harvested from the logging policy's randomisation over the lists replayed so far. */
    public ExaminationCurve examinationCurve() { return randomisation.curve(); }

    Map<String, Long> skipped() { return skipped; }

    Timings timings() { return timings; }

    long[] counts() {
        return new long[]{recordsRead, impressionsRead, impressionsInRange, onSurface, withCandidates, replayed,
                reproduced, approximatePrefix, logged.explorerMismatch()};
    }

    double loggedCtrAll() {
        return loggedSlotsAll == 0 ? Double.NaN : loggedRewardAll / loggedSlotsAll;
    }

    String candidatePolicyVersion() {
        return candidatePolicy == null ? null : candidatePolicy.version();
    }

    ExplorerConfig loggedExplorerConfig() {
        return sources.loggedExplorer();
    }
}
