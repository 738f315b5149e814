package io.ranker.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Bounded in-memory {@link SeenItems}: the newest {@code maxPerUser} events per user, and at most {@code maxEvents}
 * events over all users: past that, the users not seen for longest are forgotten (Caffeine's size-based eviction,
 * weighted by each user's event count), as are users idle for longer than {@code idle}. Without the global bound every
 * distinct user id a caller sends would stay in memory for good. Thread-safe.
 */
public final class InMemorySeenItems implements SeenItems {
    /** Events over all users by default: about 64 bytes each, so some 130 MB at most. */
    public static final long DEFAULT_MAX_EVENTS = 2_000_000;
    /** As long as the Redis seen history keeps a user's events. */
    public static final Duration DEFAULT_IDLE = Duration.ofDays(30);

    private record Event(String itemId, String kind, long atMillis) {
    }

    private final int maxPerUser;
    private final Cache<String, Deque<Event>> byUser;

    public InMemorySeenItems(int maxPerUser) {
        this(maxPerUser, DEFAULT_MAX_EVENTS, DEFAULT_IDLE);
    }

    public InMemorySeenItems(int maxPerUser, long maxEvents, Duration idle) {
        this.maxPerUser = maxPerUser;
        this.byUser = Caffeine.newBuilder()
                .maximumWeight(maxEvents)
                .weigher((String user, Deque<Event> events) -> events.size() + 1)
                .expireAfterAccess(idle)
                .build();
    }

    @Override
    public void record(String userId, String itemId, String kind, long atMillis) {
        if (userId == null || userId.isEmpty()) return;
        // compute, not get-then-mutate: the cache re-weighs the entry after every change
        byUser.asMap().compute(userId, (u, events) -> {
            Deque<Event> e = events == null ? new ArrayDeque<>() : events;
            e.addLast(new Event(itemId, kind, atMillis));
            while (e.size() > maxPerUser) e.removeFirst();
            return e;
        });
    }

    @Override
    public Set<String> seenSince(String userId, long sinceMillis, Set<String> kinds) {
        if (userId == null) return Set.of();
        Set<String> out = new HashSet<>();
        // under the entry's lock, so a concurrent record() does not change the deque while it is read
        byUser.asMap().computeIfPresent(userId, (u, events) -> {
            for (Iterator<Event> it = events.descendingIterator(); it.hasNext(); ) {
                Event e = it.next();
                if (e.atMillis() >= sinceMillis && (kinds.isEmpty() || kinds.contains(e.kind()))) out.add(e.itemId());
            }
            return events;
        });
        return out;
    }

    /** Users remembered now (after pending evictions). */
    public long users() {
        byUser.cleanUp();
        return byUser.estimatedSize();
    }
}
