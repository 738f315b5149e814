package io.ranker.logging;

import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** SegmentImpressionLog.append on one thread (default config: group fsync): a 10-item impression, and one with its 500 x 30 candidate set. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogAppendBench {
    Path dir;
    SegmentImpressionLog log;
    ImpressionRecord[] plain;
    ImpressionRecord full;
    int i;

    @Setup
    public void setup() throws Exception {
        dir = Files.createTempDirectory("log-bench");
        log = new SegmentImpressionLog(LogConfig.defaults(dir));
        Random rnd = new Random(3);
        plain = new ImpressionRecord[1000];
        for (int k = 0; k < plain.length; k++) plain[k] = SampleRecords.impression("imp-" + k, k, 0, 0, rnd);
        full = SampleRecords.impression("full", 1, 500, 30, rnd);
    }

    @TearDown
    public void tearDown() throws Exception {
        log.close();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void appendImpression() throws Exception { log.append(plain[i++ % plain.length]); }

    @Benchmark
    public void appendWithCandidateSet() throws Exception { log.append(full); }

    @Benchmark
    public byte[] encodeOnly() throws Exception {
        return LogJson.MAPPER.writeValueAsBytes(new LogJson.Envelope("impression", plain[i++ % plain.length]));
    }
}
