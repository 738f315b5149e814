package io.ranker.replay;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.policy.FilePolicyVersionStore;
import io.ranker.policy.PolicyVersionStore;
import io.ranker.policy.ValidationLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a replay finds what each impression was served with: the log (one or more log roots, each read with every
 * replica under it), the model registry (logged model
 * versions), the policy version store (logged policy versions, by content hash), the surface's current rules file
 * (a version never published through the store) and the surface's explorer configuration.
 *
 * @param policyFile     {@code <config-dir>/policies/<surface>.yaml}, may not exist
 * @param loggedExplorer the explorer the surface serves with (its pipeline file's {@code explorer:} section)
 * @param fallbackSources the surface's fallback sources (pipeline file, {@code fallback: true}): the pipeline demotes
 *                        the candidates only they found, in replay as in serving
 * @param candidateLimits what a candidate rule set is validated against: the live catalog's attribute names and the
 *                        surfaces with a pipeline, as for publishing (the logged rule sets were validated when served);
 *                        null: no catalog or surface check
 */
public record ReplaySources(List<Path> logDirs, Path modelsDir, PolicyVersionStore policies, Path policyFile,
                            ExplorerConfig loggedExplorer, Set<String> fallbackSources, ValidationLimits candidateLimits) {

    public ReplaySources {
        logDirs = List.copyOf(logDirs);
        fallbackSources = fallbackSources == null ? Set.of() : Set.copyOf(fallbackSources);
        if (candidateLimits == null) candidateLimits = new ValidationLimits(Set.of(), 1000);
    }

    public ReplaySources(List<Path> logDirs, Path modelsDir, PolicyVersionStore policies, Path policyFile,
                         ExplorerConfig loggedExplorer, Set<String> fallbackSources) {
        this(logDirs, modelsDir, policies, policyFile, loggedExplorer, fallbackSources, null);
    }

    /** The standard layout: {@code <data-dir>/{logs,models,policies}}, {@code <config-dir>/{pipelines,policies}}. */
    public static ReplaySources standard(Path dataDir, Path configDir, String surface) {
        Path pipelineFile = configDir.resolve("pipelines").resolve(surface + ".yaml");
        return new ReplaySources(List.of(dataDir.resolve("logs")), dataDir.resolve("models"),
                new FilePolicyVersionStore(dataDir.resolve("policies")),
                configDir.resolve("policies").resolve(surface + ".yaml"),
                pipelineExplorer(pipelineFile), pipelineFallbackSources(pipelineFile));
    }

    /** The policy versions of the running service (the shared store when there is one). */
    public ReplaySources withPolicies(PolicyVersionStore store) {
        return new ReplaySources(logDirs, modelsDir, store, policyFile, loggedExplorer, fallbackSources, candidateLimits);
    }

    public ReplaySources withLogDir(Path dir) {
        return withLogDirs(List.of(dir));
    }

    /** Several log locations (each a log root or one replica's directory), read as one log merged by time. */
    public ReplaySources withLogDirs(List<Path> dirs) {
        if (dirs.isEmpty()) throw new IllegalArgumentException("no log directory");
        return new ReplaySources(dirs, modelsDir, policies, policyFile, loggedExplorer, fallbackSources, candidateLimits);
    }

    public ReplaySources withExplorer(ExplorerConfig cfg) {
        return new ReplaySources(logDirs, modelsDir, policies, policyFile, cfg, fallbackSources, candidateLimits);
    }

    /** Candidate rule sets checked against these (the live catalog's attributes, the surfaces with a pipeline). */
    public ReplaySources withCandidateLimits(ValidationLimits limits) {
        return new ReplaySources(logDirs, modelsDir, policies, policyFile, loggedExplorer, fallbackSources, limits);
    }

    /** Names of the sources a pipeline file marks {@code fallback: true} (a source's name defaults to its type). */
    static Set<String> pipelineFallbackSources(Path pipelineFile) {
        Map<?, ?> doc = readYaml(pipelineFile);
        Set<String> out = new TreeSet<>();
        if (doc != null && doc.get("sources") instanceof List<?> sources) {
            for (Object o : sources) {
                if (o instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("fallback"))) {
                    out.add(String.valueOf(m.get("name") != null ? m.get("name") : m.get("type")));
                }
            }
        }
        return out;
    }

    private static Map<?, ?> readYaml(Path pipelineFile) {
        if (!Files.isRegularFile(pipelineFile)) return null;
        try {
            return new YAMLMapper().readValue(pipelineFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pipelineFile + ": " + e.getMessage(), e);
        }
    }

    /** The {@code explorer:} section of a pipeline file; disabled when the file or section is absent. */
    public static ExplorerConfig pipelineExplorer(Path pipelineFile) {
        if (!Files.isRegularFile(pipelineFile)) return ExplorerConfig.DISABLED;
        Map<?, ?> doc = readYaml(pipelineFile);
        return ExplorerConfigParser.parse(doc == null ? null : doc.get("explorer"), "/explorer");
    }

    /** The rule file's text, when it exists. */
    Optional<String> currentPolicyYaml() {
        try {
            return policyFile != null && Files.isRegularFile(policyFile)
                    ? Optional.of(Files.readString(policyFile)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
