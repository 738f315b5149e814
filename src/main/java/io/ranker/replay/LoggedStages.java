package io.ranker.replay;

import io.ranker.core.Explorer;
import io.ranker.core.PolicyStage;
import io.ranker.core.Scorer;
import io.ranker.core.Versions;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerFactory;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.policy.CompiledPolicy;
import io.ranker.policy.PolicyParser;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What each logged impression was served with, resolved from its logged versions and loaded once per version: the
 * rule set (version store, or the current rules file when its hash matches), the model (the registry, against the
 * feature names the impression logged) and the explorer (the surface's configuration; none under the kill switch).
 * One instance per replay run; not thread-safe.
 */
final class LoggedStages {
    private final ReplaySources sources;
    private final PolicyParser parser;
    private final ReplayClock clock;
    private final Map<String, PolicyStage> policies = new HashMap<>();
    private final Map<String, Scorer> scorers = new HashMap<>();
    private final Map<ExplorerConfig, Explorer> explorers = new HashMap<>();
    private long explorerMismatch;

    LoggedStages(ReplaySources sources, PolicyParser parser, ReplayClock clock) {
        this.sources = sources;
        this.parser = parser;
        this.clock = clock;
    }

    /** The logged rule set; null when the logged version cannot be found. */
    PolicyStage policy(ImpressionRecord r) {
        String version = Versions.of(r.versions()).policy();
        if (version == null || "none".equals(version)) return PolicyStage.NONE;
        return policies.computeIfAbsent(version, v -> {
            Optional<String> yaml = sources.policies().yaml(r.surface(), v);
            if (yaml.isEmpty()) {
                yaml = sources.currentPolicyYaml().filter(y -> {
                    PolicyParser.Result p = parser.parse(y);
                    return p.valid() && p.policy().version().equals(v);
                });
            }
            if (yaml.isEmpty()) return null;
            PolicyParser.Result p = parser.parse(yaml.get());
            return p.valid() ? new CompiledPolicy(v, p.policy().rules(), clock) : null;
        });
    }

    /** Empty: the impression was served without a model; null: the logged model cannot be loaded. */
    Optional<Scorer> scorer(ImpressionRecord r) {
        String version = Versions.of(r.versions()).model();
        if (version == null || "none".equals(version)) return Optional.empty();
        String key = version + "\n" + String.join("\n", r.featureNames());
        if (!scorers.containsKey(key)) {
            Scorer s;
            try {
                s = CandidateModel.fromRegistry(sources.modelsDir(), version, "/model").load(r.featureNames());
            } catch (RuntimeException e) {
                s = null;
            }
            scorers.put(key, s);
        }
        Scorer s = scorers.get(key);
        return s == null ? null : Optional.of(s);
    }

    /** Whether the model failed when the impression was served (its list is in retrieval order). */
    static boolean modelFailed(ImpressionRecord r) {
        List<String> degraded = r.degraded();
        if (degraded == null) return false;
        for (String d : degraded) if (d.startsWith("model:")) return true;
        return false;
    }

    /** The logged explorer's configuration: the surface's, or none when the impression names a disabled explorer. */
    ExplorerConfig explorer(ImpressionRecord r) {
        String name = r.explorer();
        if (name != null && name.startsWith("none")) return ExplorerConfig.DISABLED;
        ExplorerConfig cfg = sources.loggedExplorer();
        if (name != null && !name.equals(explorer(cfg).name())) explorerMismatch++;
        return cfg;
    }

    /** The explorer a configuration describes, built once. */
    Explorer explorer(ExplorerConfig cfg) {
        return explorers.computeIfAbsent(cfg, ExplorerFactory::create);
    }

    /** Impressions whose logged explorer name differs from the configured explorer's. */
    long explorerMismatch() {
        return explorerMismatch;
    }

    /**
     * The feature names of the first impression of the surface in range that logged its candidate set (to refuse a
     * candidate model before a job starts); empty when none is found within the first 20,000 records (the job itself refuses later ones).
     */
    static Optional<List<String>> featureNames(List<java.nio.file.Path> logDirs, String surface, long from, long to) {
        if (logDirs.stream().noneMatch(java.nio.file.Files::isDirectory)) return Optional.empty();
        try (Stream<LogEntry> s = LogReader.of(logDirs).between(from, to).stream()) {
            Iterator<LogEntry> it = s.limit(20_000).iterator();
            while (it.hasNext()) {
                LogEntry e = it.next();
                if (!e.isImpression()) continue;
                try {
                    ImpressionRecord r = e.impression();
                    if (surface.equals(r.surface()) && r.featureNames() != null && r.candidates() != null) {
                        return Optional.of(r.featureNames());
                    }
                } catch (UncheckedIOException | IllegalArgumentException ex) {
                    // damaged record: keep looking
                }
            }
        }
        return Optional.empty();
    }
}
