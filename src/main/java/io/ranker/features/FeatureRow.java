package io.ranker.features;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of a bulk feature write ({@code PUT /v1/features} body element, one line of {@code features load}):
 * {@code {"entity": "item"|"user", "id": "...", "values": {"name": number, "map_feature.key": number,
 * "vector_feature": [numbers]}, "timestamp": epochMillis?}}. Values stay JSON until validated.
 */
public record FeatureRow(String entity, String id, JsonNode values, Long timestamp) {

    /** The row in a JSON object, or null when the node is not an object (the caller rejects it). */
    public static FeatureRow fromJson(JsonNode n) {
        if (n == null || !n.isObject()) return null;
        JsonNode ts = n.get("timestamp");
        return new FeatureRow(text(n.get("entity")), text(n.get("id")), n.get("values"),
                ts != null && ts.canConvertToLong() ? ts.asLong() : null);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }
}
