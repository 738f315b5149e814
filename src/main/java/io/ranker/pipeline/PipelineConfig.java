package io.ranker.pipeline;

import io.ranker.core.AttributeFilter;
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
     * @param type     bm25 | vector | popular | supplied
     * @param fields   bm25: field -> boost
     * @param vector      vector: "query" (the request's queryVector) or "user" (the request's queryVector when it
     *                    sends one, else the user's vector from the feature store)
     * @param by          popular: numeric attribute to rank by (popularity, created_at, ...)
     * @param fallback    runs only when the other sources found fewer than {@code minCandidates}
     * @param weight      weight of this source in the fusion
     * @param userFeature vector: user: the user's stored vector feature (features.yaml), default {@code user_vector}
     */
    public record SourceConfig(String name, String type, int limit, Map<String, Float> fields, String vector,
                               String by, boolean fallback, double weight, int efSearch, String userFeature) {
    }

    /** Reciprocal rank fusion: score = sum over sources of weight / (k + rank). */
    public record Fusion(String type, int k) {
    }

    /** Per-stage time budgets in milliseconds. */
    public record Budgets(int retrievalMs, int featuresMs, int scoringMs, int totalMs) {
    }
}
