package io.ranker.policy;

import java.util.Set;

/**
 * Per-user recent history (what a user was shown or clicked), read by {@code exclude_seen} rules. The feature
 * store backs it in production; {@link InMemorySeenItems} serves tests and the embedded demo.
 * One call per rule per request, so implementations should answer with a single store round trip.
 */
public interface SeenItems {
    /**
     * @param kinds event kinds to consider ("shown", "clicked", ...); empty means all kinds
     * @return ids of items with at least one such event at or after {@code sinceMillis}
     */
    Set<String> seenSince(String userId, long sinceMillis, Set<String> kinds);

    /**
     * Records one event ("shown" for every item of a served list, "clicked" on feedback). Must not throw into the
     * request path. The default does nothing (a store that is written elsewhere, e.g. by a stream consumer).
     */
    default void record(String userId, String itemId, String kind, long atMillis) {
    }

    /** Records the same event for several items (a served list); a store may do it in one write. */
    default void recordAll(String userId, java.util.List<String> itemIds, String kind, long atMillis) {
        for (String id : itemIds) record(userId, id, kind, atMillis);
    }

    SeenItems NONE = (userId, sinceMillis, kinds) -> Set.of();
}
