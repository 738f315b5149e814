package io.ranker.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ranker.explore.ExplorerFactory;
import io.ranker.logging.LogProblem;
import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.OffPolicyEstimators;
import io.ranker.replay.ope.OpeReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a replay as one JSON document (what {@code replay.json}, the job endpoint's {@code result} and
 * the Markdown report are made of). Numbers that are undefined (no data) are null, never NaN.
 */
public final class ReplayReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final double MIN_REPRODUCED = 0.99;

    private final Map<String, Object> json;

    private ReplayReport(Map<String, Object> json) {
        this.json = json;
    }

    public Map<String, Object> json() {
        return json;
    }

    /** Share of replayed impressions whose logged list the replay reproduced (NaN when none). */
    public double reproducedShare() {
        Object v = ((Map<?, ?>) json.get("reproduction")).get("shareReproduced");
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public double shareChanged() {
        Object v = ((Map<String, Object>) json.get("rankingChanges")).get("shareChanged");
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> estimates(String which) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) json.get("offPolicy")).get(which)).get("estimates");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code replay.json}, {@code replay.md} and {@code replay.html} (self-contained, SVG charts) into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("replay.json"), toJson());
        Files.writeString(dir.resolve("replay.md"), ReplayMarkdown.render(json));
        Files.writeString(dir.resolve("replay.html"), ReplayHtml.render(json));
    }

    static ReplayReport build(ReplayRun run, FeedbackJoin feedback, List<LogProblem> problems, double seconds) {
        ReplayRequest req = run.request();
        long[] c = run.counts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("surface", req.surface());
        m.put("from", req.from() == Long.MIN_VALUE ? null : Instant.ofEpochMilli(req.from()).toString());
        m.put("to", req.to() == Long.MAX_VALUE ? null : Instant.ofEpochMilli(req.to()).toString());
        Map<String, Object> cand = new LinkedHashMap<>();
        cand.put("model", req.model() == null ? "logged" : req.model().version());
        cand.put("policy", req.policyYaml() == null ? "logged" : run.candidatePolicyVersion());
        cand.put("explorer", req.explorer() == null ? "logged (" + ExplorerFactory.create(run.loggedExplorerConfig()).name() + ")"
                : ExplorerFactory.create(req.explorer()).name());
        cand.put("changesSomething", req.hasCandidate());
        m.put("candidate", cand);

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("recordsRead", c[0]);
        input.put("impressionsRead", c[1]);
        input.put("impressionsInRange", c[2]);
        input.put("impressionsOnSurface", c[3]);
        input.put("impressionsWithCandidateSet", c[4]);
        input.put("impressionsReplayed", c[5]);
        input.put("feedbackEventsJoined", feedback.events());
        input.put("impressionsWithFeedback", feedback.impressionsWithFeedback());
        long torn = problems.stream().filter(p -> p.type() == LogProblem.Type.TORN).count();
        input.put("tornRecordsSkipped", torn);
        input.put("corruptStretchesSkipped", problems.size() - torn);
        Map<String, Object> skipped = new LinkedHashMap<>(run.skipped());
        if (feedback.undecodable() > 0) skipped.merge("undecodable", feedback.undecodable(), (a, b) -> (Long) a + (Long) b);
        input.put("skipped", skipped);
        input.put("problems", problemsJson(problems, 20));
        input.put("memoryBound", "feedback in range (one map entry per rewarded impression item), seen history "
                + "(500 events per user, 200,000 most recent users), recent impression users (50,000), reward model (a reservoir of 200,000 slots per fold, 20,000 attribute values), examination harvest (2 sums per position pair per bootstrap replicate); impressions are streamed");
        m.put("input", input);

        Map<String, Object> repro = new LinkedHashMap<>();
        repro.put("loggedListsReproduced", c[6]);
        repro.put("shareReproduced", c[5] == 0 ? Double.NaN : (double) c[6] / c[5]);
        repro.put("approximateLoggingPrefix", c[7]);
        repro.put("explorerConfigMismatch", c[8]);
        m.put("reproduction", repro);

        m.put("rankingChanges", run.changes().rankingJson());
        Map<String, Object> offline = run.changes().offlineJson();
        offline.put("loggedCtrAllImpressions", run.loggedCtrAll());
        m.put("offlineMetrics", offline);

        OpeReport target = run.candidateOpe().report();
        OpeReport logged = run.loggedOpe().report();
        Map<String, Object> ope = new LinkedHashMap<>();
        ope.put("estimand", "mean reward per shown slot (a CTR when the reward is a click)");
        ope.put("rewardWeights", req.rewards().weights());
        ope.put("rewardModel", "position-based click model q = exam(position) x rel(item attributes), a log-linear"
                + " regression on the position and the logged categorical attributes, cross-fitted over the range (each"
                + " impression predicted by the model fitted on the other half), used by dm, dr and switch_dr");
        ope.put("bootstrapReplicates", req.ope().bootstrapReplicates());
        ope.put("candidate", opeJson(target));
        ope.put("logged", opeJson(logged));
        Map<String, Object> change = new LinkedHashMap<>();
        // paired bootstrap: both estimators saw the same impressions with the same resampling
        Map<String, Estimate> paired = OffPolicyEstimators.difference(run.candidateOpe(), run.loggedOpe());
        Map<String, String> excluded = req.hasCandidate() ? ReplayVerdict.exclusions(target, paired) : Map.of();
        for (var e : target.estimates().entrySet()) {
            Estimate l = logged.estimates().get(e.getKey());
            if (l == null) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("candidate", e.getValue().value());
            d.put("logged", l.value());
            d.put("difference", e.getValue().value() - l.value());
            Estimate diff = paired.get(e.getKey());
            if (diff != null) d.put("differenceCi95", List.of(diff.lo(), diff.hi()));
            d.put("relative", l.value() == 0 ? Double.NaN : e.getValue().value() / l.value() - 1);
            d.put("applicable", !excluded.containsKey(e.getKey()));
            if (excluded.containsKey(e.getKey())) d.put("excludedBecause", excluded.get(e.getKey()));
            change.put(e.getKey(), d);
        }
        ope.put("change", change);
        m.put("offPolicy", ope);
        Map<String, Object> verdict = ReplayVerdict.json(req.hasCandidate(), target, logged, paired);
        m.put("examination", run.examinationCurve().json());

        List<String> warnings = new ArrayList<>();
        double share = c[5] == 0 ? Double.NaN : (double) c[6] / c[5];
        if (c[5] == 0) {
            warnings.add("no impression was replayed: none on surface '" + req.surface() + "' in range carries its "
                    + "candidate set (ranking.log.candidate-sample-rate samples which do)");
        } else if (share < MIN_REPRODUCED) {
            warnings.add(String.format(Locale.ROOT, "the replay reproduced only %.1f%% of the logged lists: rules on "
                    + "attributes the log does not record, a changed pipeline or explorer, or exposure caps make the "
                    + "replayed logging policy differ from the served one; estimates are less reliable", 100 * share));
        }
        if (c[8] > 0) warnings.add(c[8] + " impressions were served by a different explorer than the pipeline file's current one");
        if (!problems.isEmpty()) warnings.add(problems.size() + " damaged log stretches skipped (torn or corrupt records)");
        for (String w : target.warnings()) warnings.add("candidate: " + w);
        m.put("warnings", warnings);

        Map<String, Object> perf = new LinkedHashMap<>();
        ReplayRun.Timings t = run.timings();
        perf.put("seconds", seconds);
        perf.put("impressionsPerSecond", seconds > 0 ? c[5] / seconds : Double.NaN);
        if (t.cpu >= 0) {
            // the replay thread's CPU time: on a shared machine, what one core's throughput is (wall time also counts waiting for a core)
            perf.put("cpuSeconds", t.cpu / 1e9);
            perf.put("impressionsPerCpuSecond", t.cpu > 0 ? c[5] / (t.cpu / 1e9) : Double.NaN);
        }
        perf.put("readSeconds", t.read / 1e9);
        perf.put("rerankLoggedSeconds", t.rerankLogged / 1e9);
        perf.put("rerankCandidateSeconds", t.rerankCandidate / 1e9);
        perf.put("estimatorSeconds", t.estimators / 1e9);
        perf.put("rewardModelSeconds", t.rewardModel / 1e9);
        m.put("performance", perf);
        // the verdict leads the document, right after what was replayed
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : List.of("surface", "from", "to", "candidate")) if (m.containsKey(k)) ordered.put(k, m.remove(k));
        ordered.put("verdict", verdict);
        ordered.putAll(m);
        return new ReplayReport(clean(ordered));
    }

    private static Map<String, Object> opeJson(OpeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> est = new LinkedHashMap<>();
        for (var e : r.estimates().entrySet()) est.put(e.getKey(), estimateJson(e.getValue()));
        m.put("estimates", est);
        m.put("impressions", r.impressions());
        m.put("slots", r.slots());
        m.put("loggedValue", estimateJson(r.loggedValueCi()));
        m.put("ess", r.ess());
        m.put("maxWeight", r.maxWeight());
        m.put("meanWeight", r.meanWeight());
        m.put("clippedShare", r.clippedShare());
        m.put("switchedShare", r.switchedShare());
        m.put("supportCoverage", r.supportCoverage());
        m.put("unsupportedValue", r.unsupportedValue());
        m.put("prefixCoverage", r.prefixCoverage());
        m.put("unsupportedPrefixValue", r.unsupportedPrefixValue());
        m.put("unsupportedByPosition", r.unsupportedByPosition());
        m.put("weakValue", r.weakValue());
        m.put("weakExpectedClicks", r.weakExpectedClicks());
        List<Map<String, Object>> bins = new ArrayList<>();
        for (var bin : r.weightHistogram()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("from", bin.from());
            b.put("to", bin.to());
            b.put("slots", bin.slots());
            bins.add(b);
        }
        m.put("weightHistogram", bins);
        m.put("warnings", r.warnings());
        return m;
    }

    private static Map<String, Object> estimateJson(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", e.value());
        m.put("ci95", List.of(e.lo(), e.hi()));
        return m;
    }

    /** NaN and infinities become null (JSON has no NaN). */
    @SuppressWarnings("unchecked")
    static <T> T clean(T v) {
        if (v instanceof Double d) return Double.isFinite(d) ? v : null;
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), clean(x)));
            return (T) out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object x : list) out.add(clean(x));
            return (T) out;
        }
        return v;
    }

    static String estimatorLabel(String name) {
        return switch (name) {
            case OffPolicyEstimators.IPS -> "IPS";
            case OffPolicyEstimators.SNIPS -> "SNIPS";
            case OffPolicyEstimators.DM -> "DM (model only)";
            case OffPolicyEstimators.DR -> "DR";
            case OffPolicyEstimators.SWITCH_DR -> "switch-DR";
            case OffPolicyEstimators.RIPS -> "RIPS (list-level, cascade)";
            default -> name;
        };
    }

    private static List<Map<String, Object>> problemsJson(List<LogProblem> problems, int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LogProblem p : problems) {
            if (out.size() >= max) break;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("segment", p.segment());
            m.put("type", String.valueOf(p.type()));
            m.put("detail", p.detail());
            out.add(m);
        }
        return out;
    }
}
