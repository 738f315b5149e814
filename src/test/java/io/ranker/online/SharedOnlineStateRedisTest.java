package io.ranker.online;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.logging.FeedbackService;
import io.ranker.logging.FeedbackRules;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.RecentImpression;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.testing.RedisServerHarness;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared online state against a real redis-server: two "replicas" (each its own client, log and feedback service)
 * dedupe one event id once, join feedback to the other's impression and count it in real time, share exposure counts;
 * a paused Redis costs at most the budget and falls back to the replica's own state.
 */
class SharedOnlineStateRedisTest {
    static RedisServerHarness redis;

    @TempDir
    Path root;

    @BeforeAll
    static void start() {
        redis = RedisServerHarness.standalone();
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    /** One replica's feedback path: its log under the shared root, its client, its service. */
    private final class Replica implements AutoCloseable {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final OnlineRedis client = OnlineRedis.standalone(redis.hostList(), false, "test-" + root.getFileName(), registry);
        final RedisFeedbackState state = new RedisFeedbackState(client, Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMillis(500));
        final SegmentImpressionLog log;
        final FeedbackService feedback;
        final List<String> counted = new ArrayList<>();

        Replica(String id) {
            log = new SegmentImpressionLog(LogConfig.forReplica(root, id), Clock.systemUTC(), registry);
            log.addSink(state);
            feedback = new FeedbackService(log, FeedbackRules.defaults(), Clock.systemUTC(), registry, state, 500);
            feedback.addListener((e, imp, pos) -> counted.add(e.itemId() + "@" + pos));
        }

        /** Unawaited writes of this client are done once a later command on its connection answered. */
        void flush() throws Exception {
            client.send("ping", Request.cmd(Command.PING)).get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            log.close();
            client.close();
        }
    }

    private static ImpressionRecord impression(String id, String... items) {
        List<ImpressionRecord.ShownItem> shown = new ArrayList<>();
        for (int i = 0; i < items.length; i++) shown.add(new ImpressionRecord.ShownItem(items[i], i + 1, 1, 1, 1, 1, 1, Map.of()));
        return new ImpressionRecord(id, System.currentTimeMillis(), "feed", "u1", null, Map.of(), 1, Map.of(), "control",
                "none", false, 0, shown, null, null, Map.of(), List.of());
    }

    private static byte[] body(String json) {
        return json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void feedbackForAnotherReplicasImpressionJoinsAndCountsAndAnEventIdCountsOnce() throws Exception {
        try (Replica a = new Replica("a"); Replica b = new Replica("b"); Replica c = new Replica("c")) {
            assertThat(a.log.append(impression("imp-a", "x", "y", "z"))).isTrue();
            a.flush();
            var accepted = b.feedback.submit(body("{'impressionId':'imp-a','itemId':'y','type':'click','eventId':'ev-1'}"));
            assertThat(accepted.impressionKnown()).isTrue();
            assertThat(accepted.duplicate()).isFalse();
            assertThat(b.counted).containsExactly("y@2");
            // the client retries the same event against C: accepted, not logged, not counted again
            var retry = c.feedback.submit(body("{'impressionId':'imp-a','itemId':'y','type':'click','eventId':'ev-1'}"));
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.impressionKnown()).isTrue();
            assertThat(c.counted).isEmpty();
            // feedback naming an impression nobody served, or an item the impression did not show: logged, not counted
            assertThat(c.feedback.submit(body("{'impressionId':'imp-forged','itemId':'y','type':'click'}")).impressionKnown()).isFalse();
            assertThat(c.feedback.submit(body("{'impressionId':'imp-a','itemId':'w','type':'click'}")).impressionKnown()).isTrue();
            assertThat(c.counted).isEmpty();
            assertThat(c.registry.counter("ranker.feedback.unknown.impressions").count()).isEqualTo(1);
            assertThat(c.registry.counter("ranker.feedback.unshown.items").count()).isEqualTo(1);
            RecentImpression marker = a.state.lookupServed("imp-a").get(5, TimeUnit.SECONDS);
            assertThat(marker.shownItemIds()).containsExactly("x", "y", "z");
            assertThat(marker.userId()).isEqualTo("u1");
        }
    }

    @Test
    void aPausedRedisCostsAtMostTheBudgetAndFallsBackToTheReplicasOwnState() throws Exception {
        try (Replica a = new Replica("a")) {
            RedisFeedbackState tight = new RedisFeedbackState(a.client, Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMillis(50));
            RedisExposureCounts counts = new RedisExposureCounts(a.client, Duration.ofMillis(50));
            counts.add("feed", 60_000, List.of("hot"));
            a.flush();
            redis.pause();
            try {
                long t0 = System.nanoTime();
                assertThat(tight.claim("ev-paused")).as("no answer: taken as new").isTrue();
                assertThat(counts.atLimit("feed", 60_000, 1, List.of("hot", "cold"))).as("this replica's counts").containsExactly("hot");
                assertThat((System.nanoTime() - t0) / 1e6).as("two budgets of 50 ms, with scheduling slack").isLessThan(1_000);
            } finally {
                redis.resume();
            }
            assertThat(a.client.failures("claim")).isEqualTo(1);
            assertThat(a.client.failures("exposure-read")).isEqualTo(1);
        }
    }

    @Test
    void exposureCountsAreSharedPerSurfaceAndWindow() throws Exception {
        AtomicLong now = new AtomicLong(10 * 60_000L + 5);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (OnlineRedis r1 = OnlineRedis.standalone(redis.hostList(), false, "exp-" + root.getFileName(), registry);
             OnlineRedis r2 = OnlineRedis.standalone(redis.hostList(), false, "exp-" + root.getFileName(), registry)) {
            RedisExposureCounts one = new RedisExposureCounts(r1, Duration.ofSeconds(1), now::get);
            RedisExposureCounts two = new RedisExposureCounts(r2, Duration.ofSeconds(1), now::get);
            for (int i = 0; i < 5; i++) one.add("feed", 60_000, List.of("a", "b"));
            for (int i = 0; i < 5; i++) two.add("feed", 60_000, List.of("a"));
            r1.send("ping", Request.cmd(Command.PING)).get(5, TimeUnit.SECONDS);
            r2.send("ping", Request.cmd(Command.PING)).get(5, TimeUnit.SECONDS);
            assertThat(one.atLimit("feed", 60_000, 10, List.of("a", "b", "c"))).containsExactly("a");
            assertThat(two.atLimit("feed", 60_000, 5, List.of("a", "b", "c"))).isEqualTo(Set.of("a", "b"));
            assertThat(two.atLimit("search", 60_000, 1, List.of("a"))).as("another surface").isEmpty();
            now.addAndGet(60_000); // the next window starts from zero
            assertThat(one.atLimit("feed", 60_000, 1, List.of("a", "b"))).isEmpty();
            String key = "exp-" + root.getFileName() + ":exposure:{feed}:60000:10";
            long ttl = Long.parseLong(redis.cli("PTTL", key).trim());
            assertThat(ttl).as("expires two periods after the last write").isBetween(60_000L, 120_000L);
        }
    }
}
