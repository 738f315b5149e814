package io.ranker.replay;

import io.ranker.policy.SeenItems;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The per-user seen history that {@code exclude_seen} rules read, rebuilt from the log as the replay streams it
 * (every shown item of every impression, clicks of recent impressions), so a replayed rule sees what the serving
 * rule saw. Bounded: the newest {@code maxPerUser} events of the {@code maxUsers} most recently active users
 * (an evicted user's history is forgotten, as a restarted replica's would be).
 */
final class SeenHistory implements SeenItems {
    private record Event(String itemId, String kind, long atMillis) {
    }

    private final int maxPerUser;
    private final Map<String, Deque<Event>> byUser;

    SeenHistory(int maxUsers, int maxPerUser) {
        this.maxPerUser = maxPerUser;
        this.byUser = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Event>> eldest) {
                return size() > maxUsers;
            }
        };
    }

    @Override
    public void record(String userId, String itemId, String kind, long atMillis) {
        if (userId == null || userId.isEmpty()) return;
        Deque<Event> events = byUser.computeIfAbsent(userId, u -> new ArrayDeque<>());
        events.addLast(new Event(itemId, kind, atMillis));
        while (events.size() > maxPerUser) events.removeFirst();
    }

    @Override
    public Set<String> seenSince(String userId, long sinceMillis, Set<String> kinds) {
        Deque<Event> events = userId == null ? null : byUser.get(userId);
        if (events == null) return Set.of();
        Set<String> out = new HashSet<>();
        for (Iterator<Event> it = events.descendingIterator(); it.hasNext(); ) {
            Event e = it.next();
            if (e.atMillis() >= sinceMillis && (kinds.isEmpty() || kinds.contains(e.kind()))) out.add(e.itemId());
        }
        return out;
    }
}
