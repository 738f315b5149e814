package io.ranker.training;

import io.ranker.replay.CandidateModel;
import io.ranker.replay.ReplayReport;
import io.ranker.replay.ReplayRequest;
import io.ranker.replay.ReplayRun;
import io.ranker.replay.ReplaySources;
import io.ranker.replay.RewardWeights;
import io.ranker.replay.ope.ExaminationCurve;
import io.ranker.replay.ope.OpeSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code train} learns about the logs and its model through replays of the same log, so that its numbers mean
 * what {@code replay} means: position bias harvested from the logging policy's randomisation over the training
 * period (a replay of the logging policy itself), and the new model evaluated over the held-out period as the service
 * would serve it (the logged rule sets, slots and exploration around it; {@code replay --model}), with the replay's
 * verdict. Progress goes to stderr.
 */
final class OffPolicyEvaluation {
    private final ReplaySources sources;
    private final LogTrainer.Options options;

    OffPolicyEvaluation(ReplaySources sources, LogTrainer.Options options) {
        this.sources = sources;
        this.options = options;
    }

    /** Position bias over [from, to), from the logging policy's randomisation. */
    ExaminationCurve examination(long from, long to) {
        ReplayRun run = new ReplayRun(sources, request(from, to));
        run.run(progress("position bias (training period)"));
        return run.examinationCurve();
    }

    /** The registered model {@code version} against the logging policy over [from, to): the replay's verdict and table. */
    @SuppressWarnings("unchecked")
    Map<String, Object> newModel(String version, long from, long to) {
        ReplayRequest req = request(from, to).withModel(CandidateModel.fromRegistry(sources.modelsDir(), version, "/model"));
        ReplayReport report = new ReplayRun(sources, req).run(progress("off-policy evaluation (test period)"));
        Map<String, Object> r = report.json();
        Map<String, Object> ope = (Map<String, Object>) r.get("offPolicy");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("note", "the new model served as the service would (the logged rule sets and exploration around it),"
                + " replayed over the held-out period against the logging policy: replay --model " + version);
        out.put("verdict", r.get("verdict"));
        out.put("change", ope.get("change"));
        out.put("impressionsReplayed", ((Map<String, Object>) r.get("input")).get("impressionsReplayed"));
        out.put("loggedListsReproduced", ((Map<String, Object>) r.get("reproduction")).get("shareReproduced"));
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        Map<String, Object> cand = (Map<String, Object>) ope.get("candidate");
        for (String k : List.of("ess", "slots", "supportCoverage", "prefixCoverage", "unsupportedValue", "weakValue",
                "weakExpectedClicks")) diagnostics.put(k, cand.get(k));
        out.put("diagnostics", diagnostics);
        out.put("warnings", r.get("warnings"));
        return out;
    }

    private ReplayRequest request(long from, long to) {
        return ReplayRequest.of(options.surface()).withRange(from, to)
                .withRewards(new RewardWeights(options.labelWeights()))
                .withOpe(OpeSettings.forReplay(200).withSeed(options.seed()))
                .withProgressEvery(500);
    }

    private static ReplayRun.Progress progress(String what) {
        long started = System.nanoTime();
        return (done, total) -> {
            double s = (System.nanoTime() - started) / 1e9;
            double rate = s > 0 ? done / s : 0;
            System.err.printf(Locale.ROOT, "train: %s: %d / %d impressions (%.0f%%), %.1f/s, ETA %.0f s%n", what, done, total,
                    100.0 * done / Math.max(1, total), rate, rate > 0 ? (total - done) / rate : Double.NaN);
        };
    }
}
