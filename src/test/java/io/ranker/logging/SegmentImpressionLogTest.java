package io.ranker.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentImpressionLogTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsImpressionsAndFeedbackWithAllFields() throws Exception {
        ImpressionRecord withCandidates = SampleRecords.impression("imp-1", 1_000, 5, 4, new Random(1));
        ImpressionRecord plain = SampleRecords.impression("imp-2", 2_000);
        FeedbackEvent fb = new FeedbackEvent("imp-1", withCandidates.items().get(0).id(), "dwell", 1500.0, 3_000, "ev-1", 3_001);
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            assertThat(log.append(withCandidates)).isTrue();
            assertThat(log.append(plain)).isTrue();
            assertThat(log.append(fb)).isTrue();
            assertThat(log.healthy()).isTrue();
            assertThat(log.recentImpression("imp-1").positionOf(withCandidates.items().get(2).id())).isEqualTo(3);
        }
        LogReader reader = LogReader.of(dir);
        List<LogEntry> all = reader.stream().collect(Collectors.toList());
        assertThat(all).hasSize(3);
        assertThat(reader.problems()).isEmpty();
        assertThat(all.get(0).kind()).isEqualTo("impression");
        assertThat(all.get(0).timestamp()).isEqualTo(1_000);
        ImpressionRecord back = all.get(0).impression();
        assertThat(back.candidates()).hasSize(5);
        assertThat(back.mcStdError()).isEqualTo(0.0123);
        assertThat(back.featureHealth()).isEqualTo(withCandidates.featureHealth());
        assertThat(back.candidates().get(3).attributes()).isEqualTo(withCandidates.candidates().get(3).attributes());
        assertThat(back.candidates().get(3).sources().get("bm25")).containsExactly(withCandidates.candidates().get(3).sources().get("bm25"));
        assertThat(back.candidates().get(0).features()).containsExactly(withCandidates.candidates().get(0).features());
        assertThat(back.items()).isEqualTo(withCandidates.items());
        assertThat(back.versions()).isEqualTo(withCandidates.versions());
        assertThat(all.get(1).impression().candidates()).isNull();
        assertThat(all.get(2).isFeedback()).isTrue();
        assertThat(all.get(2).feedback()).isEqualTo(fb);
        // every line is standard JSON whose first field says what it is
        assertThat(all.get(0).json()).startsWith("{\"kind\":\"impression\",\"impressionId\":\"imp-1\"");
        assertThat(all.get(2).json()).startsWith("{\"kind\":\"feedback\"");
    }

    @Test
    void missingFeaturesSurviveAsNaN() throws Exception {
        ImpressionRecord r = SampleRecords.impression("imp-nan", 1, 3, 7, new Random(2)); // feature 6 is NaN
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            log.append(r);
        }
        LogEntry e = LogReader.of(dir).stream().findFirst().orElseThrow();
        assertThat(e.json()).contains("\"NaN\"");
        assertThat(e.impression().candidates().get(0).features()[6]).isNaN();
        assertThat(e.tree().get("candidates").get(0).get("features").get(6).asText()).isEqualTo("NaN");
    }

    @Test
    void concurrentAppendsFromManyThreadsAreAllReadBackIntact() throws Exception {
        int threads = 8;
        int perThread = 1_000;
        LogConfig cfg = LogConfig.defaults(dir).withSegmentMaxBytes(1 << 20).withFsyncInterval(Duration.ofMillis(5));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (SegmentImpressionLog log = new SegmentImpressionLog(cfg)) {
            for (int t = 0; t < threads; t++) {
                int tt = t;
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        String id = tt + "-" + i;
                        if (i % 10 == 0) log.append(SampleRecords.click(id, "x", i));
                        else log.append(SampleRecords.impression(id, i));
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            assertThat(log.status().failures()).isZero();
            log.awaitHousekeeping();
        }
        LogReader reader = LogReader.of(dir);
        Set<String> ids = new HashSet<>();
        reader.stream().forEach(e -> ids.add(e.isImpression() ? e.impression().impressionId() : e.feedback().impressionId()));
        assertThat(reader.problems()).isEmpty();
        assertThat(ids).hasSize(threads * perThread);
        // it rotated, and closed segments were compressed
        List<SegmentFile> segs = SegmentFile.list(dir);
        assertThat(segs.size()).isGreaterThan(2);
        assertThat(segs.subList(0, segs.size() - 1)).allMatch(SegmentFile::compressed);
        // per-thread order is preserved within the log
        List<Integer> thread3 = new ArrayList<>();
        LogReader.of(dir).stream().filter(LogEntry::isImpression).map(e -> e.impression().impressionId())
                .filter(id -> id.startsWith("3-")).forEach(id -> thread3.add(Integer.parseInt(id.substring(2))));
        assertThat(thread3).isSorted();
    }

    @Test
    void timeRangeFilterSelectsRecordsByTheirTimestamp() throws Exception {
        long now = System.currentTimeMillis();
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            for (int i = 0; i < 100; i++) log.append(SampleRecords.impression("imp-" + i, now + i * 1000L));
        }
        assertThat(LogReader.of(dir).between(now - 86_400_000L, now).stream().count()).isZero();
        List<LogEntry> mid = LogReader.of(dir).between(now + 10_000, now + 20_000).stream().collect(Collectors.toList());
        assertThat(mid).extracting(e -> e.impression().impressionId())
                .containsExactly("imp-10", "imp-11", "imp-12", "imp-13", "imp-14", "imp-15", "imp-16", "imp-17", "imp-18", "imp-19");
    }

    @Test
    void tornTailIsSkippedCountedAndANewLogStartsOverIt() throws Exception {
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir).withCompress(false))) {
            for (int i = 0; i < 50; i++) log.append(SampleRecords.impression("imp-" + i, i));
        }
        Path seg = SegmentFile.list(dir).get(0).path();
        long size = Files.size(seg);
        try (var ch = java.nio.channels.FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100); // cuts the last record mid-payload
        }
        LogReader reader = LogReader.of(dir);
        assertThat(reader.stream().count()).isEqualTo(49);
        assertThat(reader.problems()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(LogProblem.Type.TORN);
            assertThat(p.segment()).isEqualTo(seg.getFileName().toString());
        });
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            assertThat(log.healthy()).isTrue();
            assertThat(log.append(SampleRecords.impression("after", 99))).isTrue();
            log.awaitHousekeeping();
        }
        LogReader again = LogReader.of(dir);
        List<String> ids = again.stream().map(e -> e.impression().impressionId()).collect(Collectors.toList());
        assertThat(ids).hasSize(50).contains("imp-48", "after").doesNotContain("imp-49");
        assertThat(again.problems()).hasSize(1); // the torn record is still reported, inside the compressed segment
    }

    @Test
    void corruptRecordInTheMiddleIsSkippedAndLaterRecordsAreStillRead() throws Exception {
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir).withCompress(false))) {
            for (int i = 0; i < 20; i++) log.append(SampleRecords.impression("imp-" + i, i));
        }
        Path seg = SegmentFile.list(dir).get(0).path();
        byte[] bytes = Files.readAllBytes(seg);
        long recordLen = bytes.length / 20;
        bytes[(int) (recordLen * 5 + 40)] ^= 0x5A;  // flip bits in record 5's payload
        bytes[(int) (recordLen * 9 + 5)] ^= 0x7F;   // and in record 9's length
        Files.write(seg, bytes);
        LogReader reader = LogReader.of(dir);
        List<String> ids = reader.stream().map(e -> e.impression().impressionId()).collect(Collectors.toList());
        assertThat(ids).hasSize(18).doesNotContain("imp-5", "imp-9").contains("imp-19");
        assertThat(reader.problems()).hasSize(2).allMatch(p -> p.type() == LogProblem.Type.CORRUPT);
    }

    @Test
    void unwritableDirectoryFailsAppendsWithoutThrowingAndRecoversWhenWritable() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the log directory should be");
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(blocked.resolve("logs")))) {
            assertThat(log.healthy()).isFalse();
            assertThat(log.append(SampleRecords.impression("a", 1))).isFalse();
            assertThat(log.append(SampleRecords.click("a", "x", 1))).isFalse();
            assertThat(log.status().failures()).isGreaterThanOrEqualTo(3);
            assertThat(log.status().lastError()).contains("cannot open a segment");
        }
    }

    @Test
    void fullDiskFailsAppendsWithoutThrowingKeepsWhatWasWrittenAndRecovers() throws Exception {
        AtomicBoolean diskFull = new AtomicBoolean(false);
        MutableClock clock = new MutableClock();
        SegmentImpressionLog.SegmentOpener opener = p -> diskFull.get()
                ? FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE) // every write: ENOSPC
                : FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        LogConfig cfg = LogConfig.defaults(dir).withSegmentMaxBytes(8 << 10);
        List<String> acked = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SegmentImpressionLog log = new SegmentImpressionLog(cfg, clock, registry, opener)) {
            for (int i = 0; i < 5; i++) assertThat(log.append(SampleRecords.impression("ok-" + i, i))).isTrue();
            diskFull.set(true);
            int failed = 0;
            for (int i = 0; i < 20; i++) {
                if (log.append(SampleRecords.impression("lost-" + i, i))) acked.add("lost-" + i);
                else failed++;
            }
            assertThat(failed).isPositive();
            assertThat(log.healthy()).isFalse();
            assertThat(log.status().lastError()).contains("No space left on device");
            assertThat(log.status().failures()).isEqualTo(failed);
            System.gc();
            assertThat(registry.get("ranker.log.healthy").gauge().value()).isZero();
            assertThat(registry.get("ranker.log.failures").tag("reason", "write").counter().count()).isPositive();
            diskFull.set(false);
            clock.advance(2_000); // past the reopen back-off
            assertThat(log.append(SampleRecords.impression("back-1", 1))).isTrue();
            assertThat(log.healthy()).isTrue();
            assertThat(registry.get("ranker.log.healthy").gauge().value()).isEqualTo(1.0);
            log.awaitHousekeeping();
        }
        List<String> ids = LogReader.of(dir).stream().map(e -> e.impression().impressionId()).collect(Collectors.toList());
        assertThat(ids).contains("ok-0", "ok-1", "ok-2", "ok-3", "ok-4", "back-1");
        // what was acknowledged before the disk filled (the rest of the segment) is there; nothing else is
        assertThat(ids.stream().filter(id -> id.startsWith("lost-"))).containsExactlyElementsOf(acked);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

        void advance(long millis) {
            now.addAndGet(millis);
        }

        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void retentionDeletesOldestClosedSegmentsBeyondTheSizeBudget() throws Exception {
        LogConfig cfg = LogConfig.defaults(dir).withSegmentMaxBytes(8 << 10).withCompress(false)
                .withRetention(Duration.ZERO, 64 << 10);
        try (SegmentImpressionLog log = new SegmentImpressionLog(cfg)) {
            for (int i = 0; i < 400; i++) log.append(SampleRecords.impression("imp-" + i, i));
            log.awaitHousekeeping();
            long total = 0;
            for (SegmentFile f : SegmentFile.list(dir)) total += Files.size(f.path());
            assertThat(total).isLessThanOrEqualTo((64 << 10) + (8 << 10));
            List<String> ids = LogReader.of(dir).stream().map(e -> e.impression().impressionId()).collect(Collectors.toList());
            assertThat(ids).contains("imp-399").doesNotContain("imp-0");
        }
    }
}
