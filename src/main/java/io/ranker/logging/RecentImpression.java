package io.ranker.logging;

import java.util.List;

/** What this replica remembers of an impression it logged, to join feedback without reading the log. */
public record RecentImpression(String impressionId, String surface, String userId, long timestamp,
                               String[] shownItemIds, String experimentArm) {

    public static RecentImpression of(ImpressionRecord r) {
        List<ImpressionRecord.ShownItem> items = r.items() == null ? List.of() : r.items();
        String[] ids = new String[items.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = items.get(i).id();
        return new RecentImpression(r.impressionId(), r.surface(), r.userId(), r.timestamp(), ids, r.experimentArm());
    }

    /** @return the 1-based position the item was shown at, or 0 when it was not shown in this impression */
    public int positionOf(String itemId) {
        for (int i = 0; i < shownItemIds.length; i++) if (shownItemIds[i].equals(itemId)) return i + 1;
        return 0;
    }
}
