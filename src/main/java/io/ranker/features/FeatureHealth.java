package io.ranker.features;

import io.ranker.core.FeatureGroupHealth;
import io.ranker.logging.ImpressionRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per request and feature group: the age of the oldest stored value used, the share of cells missing (NaN before
 * defaults; stale values count as missing), how many stored values were too old, and where values came from
 * ({@code store}, {@code cache} when the store failed, {@code none}).
 */
public record FeatureHealth(Map<String, Group> groups, String source) {

    public static final FeatureHealth EMPTY = new FeatureHealth(Map.of(), "none");

    public record Group(long maxAgeMillis, double missingShare, int staleValues) {
    }

    /** The form the impression log stores ({@link ImpressionRecord#featureHealth()}). */
    public Map<String, FeatureGroupHealth> toRecord() {
        Map<String, FeatureGroupHealth> out = new LinkedHashMap<>();
        groups.forEach((g, h) -> out.put(g, new FeatureGroupHealth(h.maxAgeMillis(), h.missingShare())));
        return out;
    }
}
