package io.ranker.features;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-request counts behind {@link FeatureHealth}, by feature group: cells filled and cells missing (NaN
 * before defaults), the age of the oldest stored row used, and the stored rows too old to use (they count as
 * missing). Lives for one request; not thread-safe.
 */
final class HealthTally {
    private static final FeatureGroup[] GROUPS = FeatureGroup.values();
    private final FeatureSchema schema;
    private final long now;
    private final int[] total = new int[GROUPS.length];
    private final int[] missing = new int[GROUPS.length];
    private final long[] maxAge = new long[GROUPS.length];
    private final int[] stale = new int[GROUPS.length];

    HealthTally(FeatureSchema schema, long nowMillis) {
        this.schema = schema;
        this.now = nowMillis;
    }

    /** Whether a stored row is older than its group's {@code max_age} (then it is not used). */
    static boolean isStale(FeatureSchema schema, StoredFeatures f, FeatureGroup group, long now) {
        Duration max = schema.maxAge(group);
        return max != null && now - f.writtenAtMillis() > max.toMillis();
    }

    /**
     * A stored row the request read: counts it as stale, or records its age.
     *
     * @return the row when it may be used, null when it is too old
     */
    StoredFeatures row(StoredFeatures f, FeatureGroup group) {
        if (f == null) return null;
        if (isStale(schema, f, group, now)) {
            stale[group.ordinal()]++;
            return null;
        }
        maxAge[group.ordinal()] = Math.max(maxAge[group.ordinal()], now - f.writtenAtMillis());
        return f;
    }

    void cell(FeatureGroup g, boolean isMissing) {
        cell(g.ordinal(), isMissing);
    }

    /** One column of one candidate; {@code group} is the group's ordinal (the hot loop keeps ordinals). */
    void cell(int group, boolean isMissing) {
        total[group]++;
        if (isMissing) missing[group]++;
    }

    /** @param source where the stored values came from: "store", "cache" or "none" */
    FeatureHealth toHealth(String source) {
        Map<String, FeatureHealth.Group> out = new LinkedHashMap<>();
        for (FeatureGroup g : GROUPS) {
            int i = g.ordinal();
            if (total[i] == 0) continue;
            out.put(g.key(), new FeatureHealth.Group(maxAge[i], (double) missing[i] / total[i], stale[i]));
        }
        return new FeatureHealth(out, source);
    }
}
