package io.ranker.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /v1/rank} as received (contract: ARCHITECTURE.md). Vectors and filters stay
 * raw JSON here so validation can say exactly which element is wrong.
 *
 * @param filters {@code {"brand": ["a","b"], "price": {"min": 10, "max": 50}, "in_stock": true}}
 */
public record RankRequestBody(String surface, String userId, String query, JsonNode queryVector,
                              Map<String, String> context, JsonNode filters, Integer limit, Boolean explain,
                              List<String> candidateIds) {
}
