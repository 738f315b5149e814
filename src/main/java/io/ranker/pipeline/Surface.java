package io.ranker.pipeline;

import io.ranker.core.Explorer;
import io.ranker.retrieval.CandidateRetriever;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A surface's configuration with the objects built from it; replaced whole when its file changes.
 *
 * @param fallbackSources names of the sources that only fill in when the primaries found too few candidates
 */
public record Surface(PipelineConfig config, CandidateRetriever retriever, Explorer explorer, Set<String> fallbackSources) {

    public Surface(PipelineConfig config, CandidateRetriever retriever, Explorer explorer) {
        this(config, retriever, explorer, config.sources().stream().filter(PipelineConfig.SourceConfig::fallback)
                .map(PipelineConfig.SourceConfig::name).collect(Collectors.toUnmodifiableSet()));
    }

    public String name() {
        return config.surface();
    }
}
