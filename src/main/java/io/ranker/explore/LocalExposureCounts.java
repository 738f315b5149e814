package io.ranker.explore;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * {@link ExposureCounts} of this replica alone, in memory: per surface and period, the counts of the current window;
 * a window that has passed is dropped when the next one starts.
 */
public final class LocalExposureCounts implements ExposureCounts {
    private record Window(long index, Map<String, AtomicInteger> counts) {
    }

    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LocalExposureCounts() {
        this(System::currentTimeMillis);
    }

    public LocalExposureCounts(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public Set<String> atLimit(String surface, long periodMillis, int limit, Collection<String> ids) {
        Window w = current(surface, periodMillis);
        Set<String> out = null;
        for (String id : ids) {
            AtomicInteger n = w.counts.get(id);
            if (n != null && n.get() >= limit) {
                if (out == null) out = new HashSet<>();
                out.add(id);
            }
        }
        return out == null ? Set.of() : out;
    }

    @Override
    public void add(String surface, long periodMillis, List<String> shownIds) {
        Window w = current(surface, periodMillis);
        for (String id : shownIds) w.counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    /** How many lists of the current window showed {@code id} (explain, metrics, tests). */
    public int count(String surface, long periodMillis, String id) {
        AtomicInteger n = current(surface, periodMillis).counts.get(id);
        return n == null ? 0 : n.get();
    }

    private Window current(String surface, long periodMillis) {
        long index = Math.floorDiv(clock.getAsLong(), periodMillis);
        return windows.compute(surface + "|" + periodMillis, (k, w) -> w != null && w.index == index ? w
                : new Window(index, new ConcurrentHashMap<>()));
    }
}
