package io.ranker.features;

import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The seen history in a real redis-server: windows, kinds, the per-user cap, expiry, and a paused server. */
class RedisSeenItemsTest {
    static RedisServerHarness redis;
    static RedisFeatureStore store;

    @BeforeAll
    static void start() {
        redis = RedisServerHarness.standalone();
        store = RedisFeatureStore.standalone(redis.hostList(), false, new FeatureKeys(64));
    }

    @AfterAll
    static void stop() {
        if (store != null) store.close();
        if (redis != null) redis.close();
    }

    /** Writes are not awaited; a PING on the same pipelined connection returns after them. */
    static void flushed() throws Exception {
        store.ping().get(5, TimeUnit.SECONDS);
    }

    @Test
    void windowsAndKindsSelectTheEventsAndEveryReplicaSeesThem() throws Exception {
        RedisSeenItems writer = new RedisSeenItems(store, 100, 60_000, 500, null);
        writer.record("u1", "a", "shown", 1_000);
        writer.record("u1", "b", "shown", 5_000);
        writer.record("u1", "c", "clicked", 6_000);
        writer.record("u1", "a", "shown", 7_000); // shown again: the latest time counts
        writer.record("u2", "z", "shown", 5_000);
        flushed();
        // another replica: its own client, the same Redis
        try (RedisFeatureStore other = RedisFeatureStore.standalone(redis.hostList(), false, new FeatureKeys(64))) {
            RedisSeenItems reader = new RedisSeenItems(other, 100, 60_000, 500, null);
            assertThat(reader.seenSince("u1", 0, Set.of())).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(reader.seenSince("u1", 5_500, Set.of())).containsExactlyInAnyOrder("a", "c");
            assertThat(reader.seenSince("u1", 0, Set.of("clicked"))).containsExactly("c");
            assertThat(reader.seenSince("u1", 0, Set.of("shown"))).containsExactlyInAnyOrder("a", "b");
            assertThat(reader.seenSince("u2", 0, Set.of())).containsExactly("z");
            assertThat(reader.seenSince("nobody", 0, Set.of())).isEmpty();
        }
    }

    @Test
    void keepsTheNewestEventsPerUserAndExpires() throws Exception {
        RedisSeenItems seen = new RedisSeenItems(store, 3, 60_000, 500, null);
        for (int i = 0; i < 10; i++) seen.record("cap", "i" + i, "shown", 1_000 + i);
        flushed();
        assertThat(seen.seenSince("cap", 0, Set.of())).containsExactlyInAnyOrder("i7", "i8", "i9");

        // a retention long enough that a stalled CI thread still reads before it ends, short enough to wait out
        RedisSeenItems shortLived = new RedisSeenItems(store, 10, 2_000, 500, null);
        shortLived.record("gone", "x", "shown", 1_000);
        flushed();
        assertThat(shortLived.seenSince("gone", 0, Set.of())).containsExactly("x");
        long until = System.currentTimeMillis() + 10_000;
        Set<String> left = Set.of("x");
        while (!left.isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(250);
            left = shortLived.seenSince("gone", 0, Set.of());
        }
        assertThat(left).as("expired after the retention").isEmpty();
    }

    @Test
    void aPausedServerOrAnOpenBreakerCostsAtMostTheBudgetAndExcludesNothing() throws Exception {
        try (RedisServerHarness own = RedisServerHarness.standalone();
             RedisFeatureStore s = RedisFeatureStore.standalone(own.hostList(), false, new FeatureKeys(64))) {
            RedisSeenItems seen = new RedisSeenItems(s, 10, 60_000, 30, null);
            seen.record("p", "x", "shown", 1_000);
            s.ping().get(5, TimeUnit.SECONDS);
            own.pause();
            try {
                long t0 = System.nanoTime();
                assertThat(seen.seenSince("p", 0, Set.of())).isEmpty();
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
                assertThat(seen.readFailures()).isEqualTo(1);
            } finally {
                own.resume();
            }
            CircuitBreaker open = new CircuitBreaker(1, 60_000, System::currentTimeMillis);
            open.onFailure();
            RedisSeenItems behindBreaker = new RedisSeenItems(s, 10, 60_000, 30, open);
            assertThat(behindBreaker.seenSince("p", 0, Set.of())).isEmpty();
            assertThat(behindBreaker.readFailures()).isEqualTo(1);
            // once Redis answers again, the history is there
            long until = System.currentTimeMillis() + 5_000;
            Set<String> back = Set.of();
            while (back.isEmpty() && System.currentTimeMillis() < until) {
                back = seen.seenSince("p", 0, Set.of());
                if (back.isEmpty()) Thread.sleep(50);
            }
            assertThat(back).containsExactly("x");
        }
    }
}
