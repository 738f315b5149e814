package io.ranker.logging;

import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reading a log root of 4 replicas x 50,000 impressions (merged by time, each replica's segments gzip-compressed as
 * the service leaves them) against one replica's log of the same 200,000 records: one operation reads every record
 * and asks its kind (what every reader does). Records per second = 200,000 / the time per operation. The logs are
 * written once under target/bench-logs and reused. Run with {@code -prof io.ranker.bench.CpuTimeProfiler}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class LogMergeBench {
    static final int RECORDS = 200_000;
    static final Path BASE = Path.of("target/bench-logs");

    @Param({"4", "1"})
    int replicas;

    Path root;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        root = BASE.resolve(replicas + "x" + RECORDS / replicas);
        if (Files.exists(root.resolve("complete"))) return;
        Random rnd = new Random(11);
        long t0 = System.currentTimeMillis() - 3_600_000L;
        SegmentImpressionLog[] logs = new SegmentImpressionLog[replicas];
        for (int r = 0; r < replicas; r++) logs[r] = new SegmentImpressionLog(LogConfig.forReplica(root, "r" + r));
        try {
            // interleaved in time: replica r serves every replicas-th request, 10 ms apart overall
            for (int i = 0; i < RECORDS; i++) logs[i % replicas].append(SampleRecords.impression("imp-" + i, t0 + 10L * i, 0, 0, rnd));
        } finally {
            for (SegmentImpressionLog l : logs) {
                l.close();
            }
        }
        // what closed replicas leave: every segment compressed (the last one stays .log until the next start)
        for (int r = 0; r < replicas; r++) {
            try (SegmentImpressionLog l = new SegmentImpressionLog(LogConfig.forReplica(root, "r" + r))) {
                l.awaitHousekeeping();
            }
        }
        Files.writeString(root.resolve("complete"), "");
    }

    @Benchmark
    public long readAll() {
        long impressions = 0;
        try (Stream<LogEntry> s = LogReader.of(root).stream()) {
            for (LogEntry e : (Iterable<LogEntry>) s::iterator) if (e.isImpression()) impressions++;
        }
        if (impressions != RECORDS) throw new IllegalStateException("read " + impressions + " impressions, wrote " + RECORDS);
        return impressions;
    }
}
