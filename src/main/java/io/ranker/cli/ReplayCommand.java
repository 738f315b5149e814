package io.ranker.cli;

import io.ranker.core.DomainException;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.logging.LogLayout;
import io.ranker.progress.Progress;
import io.ranker.replay.CandidateModel;
import io.ranker.replay.ReplayReport;
import io.ranker.replay.ReplayRequest;
import io.ranker.replay.ReplayRun;
import io.ranker.replay.ReplaySources;
import io.ranker.replay.RewardWeights;
import io.ranker.replay.ope.OpeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay}: what would a candidate model and/or rule set have done on the logged traffic? Re-runs scoring,
 * policy and explorer over the logged candidate sets and writes {@code replay.json}, {@code replay.md} and {@code replay.html}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay logged impressions with a candidate model and/or policy and estimate its value off-policy.",
                "Only impressions logged with their candidate set are replayed (ranking.log.candidate-sample-rate).",
                "Without --model/--policy/--explorer the logging policy itself is replayed (a reproduction check).",
                "Exit 0 when done, 2 when refused (unknown surface, a rule set the service would refuse against the catalog"
                        + " in DATA-DIR/index, unknown model, no log), 1 when the log holds an unusable propensity."})
public class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = CliDefaults.DATA_DIR,
            description = "Data directory: logs/, models/, policies/ (default: $RANKING_DATA_DIR or 'data')")
    Path dataDir;

    @Option(names = "--config-dir", defaultValue = CliDefaults.CONFIG_DIR,
            description = "Ranking configuration: pipelines/<surface>.yaml (explorer), policies/<surface>.yaml")
    Path configDir;

    @Option(names = "--log-dir", description = "A log root (every replica under it is read), when not <data-dir>/logs;"
            + " repeat it to read several roots as one log")
    List<Path> logDirs;

    @Option(names = "--surface", required = true, description = "Surface to replay (e.g. feed)")
    String surface;

    @Option(names = "--from", description = "First impression time (ISO-8601 or epoch millis), inclusive")
    String from;

    @Option(names = "--to", description = "End of range (ISO-8601 or epoch millis), exclusive")
    String to;

    @Option(names = "--model", description = "Candidate model version in <data-dir>/models")
    String model;

    @Option(names = "--model-file", description = "Candidate model file (XGBoost JSON or UBJ); needs --manifest")
    Path modelFile;

    @Option(names = "--manifest", description = "manifest.json of --model-file")
    Path manifest;

    @Option(names = "--policy", description = "Candidate rule file (YAML, policies format)")
    Path policy;

    @Option(names = "--explorer", description = "Candidate explorer: a YAML file holding an explorer section "
            + "(or a pipeline file with one); default: the surface's current pipeline explorer")
    Path explorer;

    @Option(names = "--reward", defaultValue = "click=1",
            description = "Reward weight per feedback type, e.g. click=1,conversion=5 (default: click=1)")
    String reward;

    @Option(names = "--max-impressions", defaultValue = "0", description = "Stop after this many replayed impressions (0: all)")
    long maxImpressions;

    @Option(names = "--bootstrap", defaultValue = "200", description = "Bootstrap replicates per interval (default 200)")
    int bootstrap;

    @Option(names = "--clip", description = "Clip importance weights at this value (default: no clipping)")
    Double clip;

    @Option(names = "--progress-every", defaultValue = "10000", description = "Progress line on stderr every N impressions")
    int progressEvery;

    @picocli.CommandLine.Mixin
    StateStoreOptions state = new StateStoreOptions();

    @Option(names = "--out", defaultValue = "replay-report", description = "Output directory (default: replay-report)")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandLine cmd = spec.commandLine();
        if (model != null && modelFile != null) throw new CommandLine.ParameterException(cmd, "give --model or --model-file, not both");
        if ((modelFile == null) != (manifest == null)) throw new CommandLine.ParameterException(cmd, "--model-file needs --manifest (and the reverse)");
        if (modelFile != null) InputFiles.requireFile(spec, modelFile, "--model-file");
        if (manifest != null) InputFiles.requireFile(spec, manifest, "--manifest");
        if (policy != null) InputFiles.requireFile(spec, policy, "--policy");
        if (explorer != null) InputFiles.requireFile(spec, explorer, "--explorer");
        // the checks of publishing and of the dry run: the catalog's attribute names and the surfaces with a pipeline
        io.ranker.policy.ValidationLimits limits;
        try {
            limits = CliValidation.limits(null, dataDir, configDir, 1000);
        } catch (IllegalArgumentException e) {
            err.println("replay refused: " + e.getMessage());
            return 2;
        }
        String unknownSurface = limits.unknownSurface(surface);
        if (unknownSurface != null) {
            err.println("replay refused: --surface: " + unknownSurface);
            return 2;
        }
        ReplaySources sources = ReplaySources.standard(dataDir, configDir, surface).withCandidateLimits(limits);
        if (logDirs != null && !logDirs.isEmpty()) sources = sources.withLogDirs(logDirs);
        io.ranker.state.RedisStateClient redis = null;
        if (state.shared()) {
            // the policy versions the logs name, and candidate models, come from the replicas' shared store
            redis = state.redis();
            sources = sources.withPolicies(new io.ranker.state.RedisPolicyVersionStore(redis, state.keys()));
            if (model != null) {
                new io.ranker.scoring.ModelRegistry(sources.modelsDir(), java.util.List.of(), io.ranker.scoring.ScoringEvaluator.JAVA,
                        new io.ranker.state.RedisModelArtifacts(redis, state.keys(), 1 << 20)).ensureLocal(model);
            }
        }
        try {
            return replay(sources, o, err, cmd);
        } finally {
            if (redis != null) redis.close();
        }
    }

    private Integer replay(ReplaySources sources, PrintWriter o, PrintWriter err, CommandLine cmd) throws IOException {
        try {
            LogLayout.require(sources.logDirs());
        } catch (DomainException e) {
            err.println(e.getMessage());
            return 2;
        }
        try {
            OpeSettings ope = OpeSettings.forReplay(bootstrap);
            if (clip != null) ope = ope.withClipWeight(clip);
            ReplayRequest req = ReplayRequest.of(surface)
                    .withRange(from == null ? Long.MIN_VALUE : time(from, "--from"), to == null ? Long.MAX_VALUE : time(to, "--to"))
                    .withMaxImpressions(maxImpressions).withRewards(RewardWeights.parse(reward)).withOpe(ope)
                    .withProgressEvery(progressEvery);
            if (model != null) req = req.withModel(CandidateModel.fromRegistry(sources.modelsDir(), model, "--model"));
            if (modelFile != null) req = req.withModel(CandidateModel.fromFiles(modelFile, manifest));
            if (policy != null) req = req.withPolicy(Files.readString(policy));
            if (explorer != null) req = req.withExplorer(ReplaySources.pipelineExplorer(explorer));
            long started = System.nanoTime();
            ReplayReport report = new ReplayRun(sources, req).run((done, total) -> {
                double seconds = (System.nanoTime() - started) / 1e9;
                err.printf(Locale.ROOT, "replay: %d / %d impressions read (%.0f%%), %.1f s%s%n", done, total,
                        100.0 * done / Math.max(1, total), seconds, Progress.rateAndEta("impressions", done, total, done, seconds));
            });
            report.write(out);
            summary(o, report);
            o.println("Wrote " + out.resolve("replay.json") + ", " + out.resolve("replay.md") + " and " + out.resolve("replay.html"));
            return 0;
        } catch (io.ranker.replay.ope.InvalidPropensityException e) {
            err.println("replay failed: " + e.getMessage());
            return 1;
        } catch (DomainException e) {
            err.println("replay refused: " + e.getMessage());
            e.errors().forEach(fe -> err.println("  " + fe.pointer() + ": " + fe.message()));
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("replay refused: " + e.getMessage());
            return 2;
        }
    }

    private long time(String s, String option) {
        try {
            return s.chars().allMatch(Character::isDigit) ? Long.parseLong(s) : Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be an ISO-8601 instant or epoch milliseconds, got '" + s + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static void summary(PrintWriter o, ReplayReport report) {
        Map<String, Object> r = report.json();
        Map<String, Object> verdict = (Map<String, Object>) r.get("verdict");
        if (verdict != null) {
            o.println(verdict.get("summary"));
            if (verdict.get("reason") != null) o.println("  why: " + verdict.get("reason"));
            for (Map<String, Object> e : (List<Map<String, Object>>) verdict.get("excluded")) {
                o.println("  left out " + e.get("estimator") + ": " + e.get("why"));
            }
        }
        Map<String, Object> input = (Map<String, Object>) r.get("input");
        Map<String, Object> changes = (Map<String, Object>) r.get("rankingChanges");
        o.printf(Locale.ROOT, "Replayed %s impressions of %s (%s with a candidate set; %s torn, %s corrupt skipped)%n",
                input.get("impressionsReplayed"), r.get("surface"), input.get("impressionsWithCandidateSet"),
                input.get("tornRecordsSkipped"), input.get("corruptStretchesSkipped"));
        o.printf(Locale.ROOT, "Logged lists reproduced: %s; lists changed by the candidate: %s%n",
                pct(report.reproducedShare()), pct(report.shareChanged()));
        Object tau = changes.get("kendallTau");
        o.println("Kendall tau vs logged: " + (tau == null ? "n/a" : String.format(Locale.ROOT, "%.3f", (Double) tau)));
        Map<String, Object> cand = report.estimates("candidate");
        Map<String, Object> logged = report.estimates("logged");
        Map<String, Object> change = (Map<String, Object>) ((Map<String, Object>) r.get("offPolicy")).get("change");
        o.println("estimator   candidate [95% CI]              logged [95% CI]              change [paired 95% CI]      in verdict");
        for (String k : cand.keySet()) {
            Map<String, Object> c = change == null ? null : (Map<String, Object>) change.get(k);
            o.printf(Locale.ROOT, "%-10s  %s   %s   %s   %s%n", k, est(cand.get(k)), est(logged.get(k)), changeOf(c),
                    c == null ? "" : Boolean.TRUE.equals(c.get("applicable")) ? "yes" : "no");
        }
        for (String w : (List<String>) r.get("warnings")) o.println("WARNING: " + w);
    }

    @SuppressWarnings("unchecked")
    private static String est(Object e) {
        if (!(e instanceof Map<?, ?> m)) return "n/a";
        List<Object> ci = (List<Object>) m.get("ci95");
        return String.format(Locale.ROOT, "%.5f [%s, %s]", num(m.get("value")), ci.get(0) == null ? "n/a" : String.format(Locale.ROOT, "%.5f", num(ci.get(0))),
                ci.get(1) == null ? "n/a" : String.format(Locale.ROOT, "%.5f", num(ci.get(1))));
    }

    @SuppressWarnings("unchecked")
    private static String changeOf(Map<String, Object> c) {
        if (c == null) return "n/a";
        List<Object> ci = (List<Object>) c.get("differenceCi95");
        return String.format(Locale.ROOT, "%+.5f [%s, %s]", num(c.get("difference")),
                ci == null || ci.get(0) == null ? "n/a" : String.format(Locale.ROOT, "%+.5f", num(ci.get(0))),
                ci == null || ci.get(1) == null ? "n/a" : String.format(Locale.ROOT, "%+.5f", num(ci.get(1))));
    }

    private static double num(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
