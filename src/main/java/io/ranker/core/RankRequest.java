package io.ranker.core;

import java.util.List;
import java.util.Map;

/**
 * The validated form of a {@code POST /v1/rank} body (contract: ARCHITECTURE.md). Validation happens in the
 * API layer; the pipeline may assume the fields are well formed (vector dimension checked, limit in range).
 *
 * @param candidateIds caller-supplied candidate ids (a source of their own), may be empty
 */
public record RankRequest(String surface, String userId, String query, float[] queryVector,
                          Map<String, String> context, List<AttributeFilter> filters, int limit,
                          boolean explain, List<String> candidateIds) {
    public RankRequest {
        context = context == null ? Map.of() : Map.copyOf(context);
        filters = filters == null ? List.of() : List.copyOf(filters);
        candidateIds = candidateIds == null ? List.of() : List.copyOf(candidateIds);
    }
}
