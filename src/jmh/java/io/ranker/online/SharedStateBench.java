package io.ranker.online;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.core.Candidate;
import io.ranker.core.Item;
import io.ranker.core.Placement;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.KillSwitch;
import io.ranker.explore.LocalExposureCounts;
import io.ranker.explore.SurfaceExplorer;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.FeedbackRules;
import io.ranker.logging.FeedbackService;
import io.ranker.logging.FeedbackState;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.testing.RedisServerHarness;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Request-path cost of the shared online state against a real redis-server on localhost (started here), each next to
 * its replica-local counterpart:
 * <ul>
 *   <li>feedback: {@code FeedbackService.submit} of a new event (durable append included) on an impression another
 *       replica served, with the shared state (SET NX claim + served-marker GET, overlapping the append) and without
 *       it (this replica's window only; the impression unknown);</li>
 *   <li>ranking: {@code SurfaceExplorer.decide} on 200 candidates, Plackett-Luce over the top 30, with an exposure
 *       limit counted in Redis (HMGET of the 50 candidates its pool can reach: limit 10 + top-k 30 + 10, then an unawaited
 *       HINCRBY batch of the 10 shown) and in memory; and the read and the add alone.</li>
 * </ul>
 * Run with {@code -prof io.ranker.bench.CpuTimeProfiler}: the box is shared, wall time includes waiting for a core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SharedStateBench {
    RedisServerHarness redis;
    OnlineRedis client;
    Path dir;
    SegmentImpressionLog log;
    FeedbackService localFeedback;
    FeedbackService sharedFeedback;
    SurfaceExplorer localExplorer;
    SurfaceExplorer sharedExplorer;
    List<Candidate> ranked;
    List<String> items;
    RedisExposureCounts sharedCounts;
    List<String> readIds;
    List<String> shownIds;
    long n;

    @Setup
    public void setup() throws Exception {
        redis = RedisServerHarness.standalone();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        client = OnlineRedis.standalone(redis.hostList(), false, "bench", registry);
        dir = Files.createTempDirectory("shared-state-bench");
        log = new SegmentImpressionLog(LogConfig.forReplica(dir, "b"), Clock.systemUTC(), registry);
        RedisFeedbackState state = new RedisFeedbackState(client, Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMillis(50));
        localFeedback = new FeedbackService(log, FeedbackRules.defaults(), Clock.systemUTC(), registry, FeedbackState.NONE, 50);
        sharedFeedback = new FeedbackService(log, FeedbackRules.defaults(), Clock.systemUTC(), registry, state, 50);
        // 1,000 impressions "served by another replica": their markers are in Redis
        items = new ArrayList<>();
        for (int i = 0; i < 10; i++) items.add("item-" + i);
        for (int i = 0; i < 1000; i++) {
            List<ImpressionRecord.ShownItem> shown = new ArrayList<>();
            for (int k = 0; k < 10; k++) shown.add(new ImpressionRecord.ShownItem(items.get(k), k + 1, 1, 1, 1, 1, 1, Map.of()));
            state.impression(new ImpressionRecord("other-" + i, System.currentTimeMillis(), "feed", "u" + i, null, Map.of(), 1,
                    Map.of(), null, "none", false, 0, shown, null, null, Map.of(), List.of()), new byte[0], 0, 0);
        }
        client.send("ping", Request.cmd(Command.PING)).get(5, TimeUnit.SECONDS);

        ExplorerConfig cfg = new ExplorerConfig("plackett-luce", 1.0, 1.0, 10, 30, 0, 1.0, 10_000, 500, 12, true)
                .withExposureLimit(1_000_000, 3_600_000);
        localExplorer = new SurfaceExplorer("feed", cfg, new KillSwitch(), new LocalExposureCounts());
        sharedCounts = new RedisExposureCounts(client, Duration.ofMillis(50));
        sharedExplorer = new SurfaceExplorer("feed", cfg, new KillSwitch(), sharedCounts);
        ranked = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Candidate c = new Candidate("item-" + i, new Item("item-" + i, "t", "", Map.of(), null));
            c.setScore(3.0 - i * 0.01);
            ranked.add(c);
        }
        readIds = new ArrayList<>();
        for (int i = 0; i < 50; i++) readIds.add("item-" + i);
        shownIds = readIds.subList(0, 10);
    }

    @TearDown
    public void tearDown() throws Exception {
        log.close();
        client.close();
        redis.close();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private FeedbackEvent next() {
        long i = n++;
        return new FeedbackEvent("other-" + (i % 1000), items.get((int) (i % 10)), "click", null, System.currentTimeMillis(),
                "ev-" + i, System.currentTimeMillis());
    }

    @Benchmark
    public Object feedbackLocal() {
        return localFeedback.submit(next());
    }

    @Benchmark
    public Object feedbackShared() {
        return sharedFeedback.submit(next());
    }

    @Benchmark
    public Object exploreLimitLocal() {
        return localExplorer.decide(ranked, Placement.NONE, 10, n++);
    }

    @Benchmark
    public Object exploreLimitShared() {
        return sharedExplorer.decide(ranked, Placement.NONE, 10, n++);
    }

    /** The two halves of the shared limit alone: the awaited read of 50 candidates' counts ... */
    @Benchmark
    public Object exposureRead() {
        return sharedCounts.atLimit("feed", 3_600_000, 1_000_000, readIds);
    }

    /** ... and the count of one served list of 10 (sent, not awaited; a PING every 64 keeps the pipeline bounded). */
    @Benchmark
    public void exposureAdd() throws Exception {
        sharedCounts.add("feed", 3_600_000, shownIds);
        if ((n++ & 63) == 0) client.send("ping", Request.cmd(Command.PING)).get(5, TimeUnit.SECONDS);
    }
}
