package io.ranker.features;

import java.util.Locale;

/** Where a feature's value comes from; each group has its own freshness and missing-value health. */
public enum FeatureGroup {
    /** Per item, from the store (batch features, real-time counters) or the catalog item's attributes. */
    ITEM,
    /** Per user, from the store. */
    USER,
    /** Per request: context map, query, time of day. */
    REQUEST,
    /** Per candidate, from the retrieval sources' hits (score and rank per source). */
    RETRIEVAL,
    /** Per candidate, combining user and item (vector similarity, ratios, affinity lookups). */
    CROSS;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FeatureGroup parse(String s) {
        for (FeatureGroup g : values()) {
            if (g.key().equals(s)) return g;
        }
        throw new IllegalArgumentException("unknown feature group '" + s + "' (expected item, user, request, retrieval, cross)");
    }
}
