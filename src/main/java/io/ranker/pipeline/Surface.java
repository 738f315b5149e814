package io.ranker.pipeline;

import io.ranker.explore.Explorer;
import io.ranker.retrieval.CandidateRetriever;

/** A surface's configuration with the objects built from it; replaced whole when its file changes. */
public record Surface(PipelineConfig config, CandidateRetriever retriever, Explorer explorer) {
    public String name() {
        return config.surface();
    }
}
