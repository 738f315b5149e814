package io.ranker.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Bounded in-memory {@link SeenItems}: the newest {@code maxPerUser} events per user. Thread-safe. */
public final class InMemorySeenItems implements SeenItems {
    private record Event(String itemId, String kind, long atMillis) {
    }

    private final int maxPerUser;
    private final Map<String, Deque<Event>> byUser = new ConcurrentHashMap<>();

    public InMemorySeenItems(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    @Override
    public void record(String userId, String itemId, String kind, long atMillis) {
        if (userId == null || userId.isEmpty()) return;
        Deque<Event> events = byUser.computeIfAbsent(userId, u -> new ArrayDeque<>());
        synchronized (events) {
            events.addLast(new Event(itemId, kind, atMillis));
            while (events.size() > maxPerUser) events.removeFirst();
        }
    }

    @Override
    public Set<String> seenSince(String userId, long sinceMillis, Set<String> kinds) {
        if (userId == null) return Set.of();
        Deque<Event> events = byUser.get(userId);
        if (events == null) return Set.of();
        Set<String> out = new HashSet<>();
        synchronized (events) {
            for (Iterator<Event> it = events.descendingIterator(); it.hasNext(); ) {
                Event e = it.next();
                if (e.atMillis() >= sinceMillis && (kinds.isEmpty() || kinds.contains(e.kind()))) out.add(e.itemId());
            }
        }
        return out;
    }
}
