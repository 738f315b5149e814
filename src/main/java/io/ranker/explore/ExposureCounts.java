package io.ranker.explore;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * How many lists of a surface showed each item in the current exposure period (a fixed window: the period's multiples
 * since the epoch), for the explorer's {@code exposure-limit}. {@link LocalExposureCounts} counts this replica's lists;
 * with the shared store, every replica's lists are counted together, so N replicas allow the limit once, not N times.
 */
public interface ExposureCounts {
    /**
     * The ids among {@code ids} shown in at least {@code limit} lists of {@code surface} in the current period. Bounded in
     * time: a shared store that does not answer in time is replaced by this replica's own counts (and counted).
     */
    Set<String> atLimit(String surface, long periodMillis, int limit, Collection<String> ids);

    /** Counts one served list. Must not block the request. */
    void add(String surface, long periodMillis, List<String> shownIds);
}
