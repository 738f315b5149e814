package io.ranker.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded, least-recently-logged-first memory of impressions, for joining feedback as it arrives. */
final class RecentImpressions {
    private final Map<String, RecentImpression> byId;

    RecentImpressions(int capacity) {
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RecentImpression> eldest) {
                return size() > capacity;
            }
        };
    }

    void remember(ImpressionRecord r) {
        if (r.impressionId() == null) return;
        RecentImpression ri = RecentImpression.of(r);
        synchronized (byId) {
            byId.put(r.impressionId(), ri);
        }
    }

    RecentImpression get(String id) {
        synchronized (byId) {
            return byId.get(id);
        }
    }
}
