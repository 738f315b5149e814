package io.ranker.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding 14: the in-memory seen history never evicted users; it is now bounded over all users. */
class InMemorySeenItemsTest {
    @Test
    void aFloodOfDistinctUsersStaysWithinTheEventBound() {
        InMemorySeenItems seen = new InMemorySeenItems(50, 10_000, Duration.ofDays(30));
        for (int u = 0; u < 200_000; u++) seen.record("user-" + u, "item", "shown", 1_000L);
        // weight = events + 1 per user: at most 5,000 users of one event each fit under 10,000
        assertThat(seen.users()).isLessThanOrEqualTo(5_000).isGreaterThan(1_000);
        assertThat(seen.seenSince("user-199999", 0, Set.of())).containsExactly("item");
    }

    @Test
    void perUserHistoryIsStillTheNewestEvents() {
        InMemorySeenItems seen = new InMemorySeenItems(3);
        for (int i = 0; i < 10; i++) seen.record("u", "i" + i, i % 2 == 0 ? "shown" : "clicked", i);
        assertThat(seen.seenSince("u", 0, Set.of())).containsExactlyInAnyOrder("i7", "i8", "i9");
        assertThat(seen.seenSince("u", 8, Set.of("clicked"))).containsExactly("i9");
        assertThat(seen.seenSince("nobody", 0, Set.of())).isEmpty();
        assertThat(seen.seenSince(null, 0, Set.of())).isEmpty();
    }
}
