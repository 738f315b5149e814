package io.ranker.replay;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.policy.PolicyVersionStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a replay finds what each impression was served with: the log (one or more log roots, each read with every
 * replica under it), the model registry (logged model
 * versions), the policy version store (logged policy versions, by content hash), the surface's current rules file
 * (a version never published through the store) and the surface's explorer configuration.
 *
 * @param policyFile     {@code <config-dir>/policies/<surface>.yaml}, may not exist
 * @param loggedExplorer the explorer the surface serves with (its pipeline file's {@code explorer:} section)
 */
public record ReplaySources(List<Path> logDirs, Path modelsDir, PolicyVersionStore policies, Path policyFile,
                            ExplorerConfig loggedExplorer) {

    /** The standard layout: {@code <data-dir>/{logs,models,policies}}, {@code <config-dir>/{pipelines,policies}}. */
    public static ReplaySources standard(Path dataDir, Path configDir, String surface) {
        return new ReplaySources(List.of(dataDir.resolve("logs")), dataDir.resolve("models"),
                new PolicyVersionStore(dataDir.resolve("policies")),
                configDir.resolve("policies").resolve(surface + ".yaml"),
                pipelineExplorer(configDir.resolve("pipelines").resolve(surface + ".yaml")));
    }

    public ReplaySources withLogDir(Path dir) {
        return withLogDirs(List.of(dir));
    }

    public ReplaySources withLogDirs(List<Path> dirs) {
        if (dirs.isEmpty()) throw new IllegalArgumentException("no log directory");
        return new ReplaySources(List.copyOf(dirs), modelsDir, policies, policyFile, loggedExplorer);
    }

    public ReplaySources withExplorer(ExplorerConfig cfg) {
        return new ReplaySources(logDirs, modelsDir, policies, policyFile, cfg);
    }

    /** The {@code explorer:} section of a pipeline file; disabled when the file or section is absent. */
    public static ExplorerConfig pipelineExplorer(Path pipelineFile) {
        if (!Files.isRegularFile(pipelineFile)) return ExplorerConfig.DISABLED;
        try {
            Map<?, ?> doc = new YAMLMapper().readValue(pipelineFile.toFile(), Map.class);
            return ExplorerConfigParser.parse(doc == null ? null : doc.get("explorer"), "/explorer");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pipelineFile + ": " + e.getMessage(), e);
        }
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
