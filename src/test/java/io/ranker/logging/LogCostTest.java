package io.ranker.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What logging costs: bytes per impression (always run, with bounds) and append latency (a benchmark, run
 * with {@code -Dranker.bench=true}; figures printed).
 */
class LogCostTest {
    @TempDir
    Path dir;

    private static long diskBytes(Path d) throws Exception {
        long total = 0;
        for (SegmentFile f : SegmentFile.list(d)) total += Files.size(f.path());
        return total;
    }

    @Test
    void bytesPerImpressionWithAndWithoutCandidateSets() throws Exception {
        Random rnd = new Random(7);
        int plainN = 2_000;
        int fullN = 40;
        Path plainDir = dir.resolve("plain");
        Path fullDir = dir.resolve("full");
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(plainDir).withSegmentMaxBytes(1 << 20))) {
            for (int i = 0; i < plainN; i++) log.append(SampleRecords.impression("imp-" + i, i, 0, 0, rnd));
        }
        long plainRaw;
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(fullDir).withSegmentMaxBytes(4 << 20))) {
            for (int i = 0; i < fullN; i++) log.append(SampleRecords.impression("imp-" + i, i, 500, 30, rnd));
            plainRaw = log.status().bytes();
        }
        long plainBytes = plainRawBytes(plainDir);
        double plainPer = (double) plainBytes / plainN;
        double fullPer = (double) plainRaw / fullN;
        // compressed: segments are gzipped on close (a fresh log over the directory closes the last one)
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(fullDir))) {
            log.awaitHousekeeping();
        }
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(plainDir))) {
            log.awaitHousekeeping();
        }
        double plainGz = (double) diskBytes(plainDir) / plainN;
        double fullGz = (double) diskBytes(fullDir) / fullN;
        System.out.printf("LOG-COST bytes/impression: 10 items %.0f (gzip %.0f); with 500 candidates x 30 features %.0f (gzip %.0f)%n",
                plainPer, plainGz, fullPer, fullGz);
        assertThat(plainPer).isBetween(500.0, 4_000.0);
        assertThat(fullPer).isBetween(100_000.0, 400_000.0);
        assertThat(plainGz).isLessThan(plainPer);
        assertThat(fullGz).isLessThan(fullPer * 0.8);
    }

    private static long plainRawBytes(Path d) {
        long[] total = {0};
        LogReader.of(d).stream().forEach(e -> total[0] += e.payload().length + LogFrames.HEADER);
        return total[0];
    }

    @Test
    @EnabledIfSystemProperty(named = "ranker.bench", matches = "true")
    void appendLatencyBenchmark() throws Exception {
        Random rnd = new Random(3);
        ImpressionRecord[] plain = new ImpressionRecord[1000];
        for (int i = 0; i < plain.length; i++) plain[i] = SampleRecords.impression("imp-" + i, i, 0, 0, rnd);
        ImpressionRecord full = SampleRecords.impression("full", 1, 500, 30, rnd);

        for (Duration fsync : new Duration[]{Duration.ofHours(1), Duration.ofMillis(200), Duration.ZERO}) {
            Path d = Files.createDirectories(dir.resolve("single-" + fsync.toMillis()));
            try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(d).withFsyncInterval(fsync))) {
                int n = fsync.isZero() ? 2_000 : 30_000;
                long[] lat = new long[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    log.append(plain[i % plain.length]);
                    lat[i] = System.nanoTime() - t0;
                }
                report("1 thread, 10-item impression, fsync " + (fsync.isZero() ? "every append" : fsync.toMillis() + "ms"), lat, n / 5);
            }
        }
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir.resolve("full")))) {
            int n = 300;
            long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                log.append(full);
                lat[i] = System.nanoTime() - t0;
            }
            report("1 thread, impression + 500x30 candidate set", lat, 50);
        }
        long encodeStart = System.nanoTime();
        for (int i = 0; i < 30_000; i++) LogJson.MAPPER.writeValueAsBytes(new LogJson.Envelope("impression", plain[i % plain.length]));
        System.out.printf("LOG-COST encode only (JSON, 10-item impression): %.1f us/record%n", (System.nanoTime() - encodeStart) / 30_000 / 1000.0);

        for (int threads : new int[]{4, 16}) {
            try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir.resolve("mt-" + threads)))) {
                int per = 10_000;
                long[][] lat = new long[threads][per];
                CountDownLatch go = new CountDownLatch(1);
                Thread[] ts = new Thread[threads];
                AtomicLong wall = new AtomicLong();
                for (int t = 0; t < threads; t++) {
                    int tt = t;
                    ts[t] = new Thread(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = 0; i < per; i++) {
                            long t0 = System.nanoTime();
                            log.append(plain[(i + tt) % plain.length]);
                            lat[tt][i] = System.nanoTime() - t0;
                        }
                    });
                    ts[t].start();
                }
                long start = System.nanoTime();
                go.countDown();
                for (Thread t : ts) t.join();
                wall.set(System.nanoTime() - start);
                long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
                report(threads + " threads, 10-item impression", all, 0);
                System.out.printf("LOG-COST   throughput %.0f appends/s%n", threads * per / (wall.get() / 1e9));
            }
        }
    }

    private static void report(String what, long[] lat, int warmup) {
        long[] s = Arrays.copyOfRange(lat, warmup, lat.length);
        Arrays.sort(s);
        System.out.printf("LOG-COST %s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, mean %.1f us%n", what,
                s[s.length / 2] / 1000.0, s[(int) (s.length * 0.99)] / 1000.0, s[(int) (s.length * 0.999)] / 1000.0,
                Arrays.stream(s).average().orElse(0) / 1000.0);
    }
}
