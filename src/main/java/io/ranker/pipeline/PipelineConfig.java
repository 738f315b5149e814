package io.ranker.pipeline;

import io.ranker.core.AttributeFilter;
import io.ranker.retrieval.SourceType;
import io.ranker.retrieval.SourceTypes;

import java.util.List;
import java.util.Map;

/**
 * One surface's pipeline, as declared in {@code ranking-config/pipelines/<surface>.yaml}. Immutable; a
 * changed file produces a new instance that is swapped in atomically.
 *
 * @param version  content hash of the file, stamped on every impression
 * @param explorer the raw {@code explorer:} section, parsed by the explore stage
 * @param raw      the whole file as a map, for stages that read their own section
 */
public record PipelineConfig(String surface, String version, int defaultLimit, int maxLimit,
                             List<SourceConfig> sources, Fusion fusion, Budgets budgets,
                             List<AttributeFilter> filters, int minCandidates,
                             Map<String, Object> explorer, Map<String, Object> raw) {

    /**
     * One entry of {@code sources:}: the keys every source takes, and its type with that type's own settings
     * (read and built by the type, see {@link SourceTypes}).
     *
     * @param fallback runs only when the other sources found fewer than {@code minCandidates}
     * @param weight   weight of this source in the fusion
     */
    public record SourceConfig(String name, int limit, boolean fallback, double weight,
                               SourceType.Configured<?> source) {
        /** The {@code type:} name (bm25, vector, popular, supplied, ...). */
        public String type() { return source.type().name(); }

        /** The type's settings record, e.g. {@code VectorSource.Settings}. */
        public Object settings() { return source.settings(); }
    }

    /** Reciprocal rank fusion: score = sum over sources of weight / (k + rank). */
    public record Fusion(String type, int k) {
    }

    /** Per-stage time budgets in milliseconds. */
    public record Budgets(int retrievalMs, int featuresMs, int scoringMs, int totalMs) {
    }
}
