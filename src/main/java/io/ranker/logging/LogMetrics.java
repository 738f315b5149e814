package io.ranker.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Micrometer meters of the log ({@code ranker.log.*}), plus plain counters the health check and tests
 * read without a registry lookup.
 */
final class LogMetrics {
    private final MeterRegistry registry;
    private final Counter impressions;
    private final Counter feedback;
    private final Counter impressionBytes;
    private final Counter feedbackBytes;
    private final Timer fsync;
    private final Timer append;
    final AtomicLong records = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong fsyncs = new AtomicLong();

    LogMetrics(MeterRegistry registry, BooleanSupplier healthy) {
        this.registry = registry;
        impressions = Counter.builder("ranker.log.records").tag("kind", LogJson.IMPRESSION)
                .description("Records appended to the impression log").register(registry);
        feedback = Counter.builder("ranker.log.records").tag("kind", LogJson.FEEDBACK)
                .description("Records appended to the impression log").register(registry);
        impressionBytes = Counter.builder("ranker.log.bytes").tag("kind", LogJson.IMPRESSION).baseUnit("bytes")
                .description("Bytes appended to the impression log (frames, before compression)").register(registry);
        feedbackBytes = Counter.builder("ranker.log.bytes").tag("kind", LogJson.FEEDBACK).baseUnit("bytes")
                .description("Bytes appended to the impression log (frames, before compression)").register(registry);
        fsync = Timer.builder("ranker.log.fsync").description("Latency of a batched fsync of the active segment")
                .register(registry);
        append = Timer.builder("ranker.log.append").description("Latency of one append (encode + write to the OS)")
                .register(registry);
        // strong reference: Micrometer holds gauge state weakly, and nothing else references this lambda
        Gauge.builder("ranker.log.healthy", healthy, h -> h.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while the impression log is writing, 0 while it fails").register(registry);
    }

    void appended(String kind, int frameBytes, long nanos) {
        records.incrementAndGet();
        bytes.addAndGet(frameBytes);
        (LogJson.IMPRESSION.equals(kind) ? impressions : feedback).increment();
        (LogJson.IMPRESSION.equals(kind) ? impressionBytes : feedbackBytes).increment(frameBytes);
        append.record(nanos, TimeUnit.NANOSECONDS);
    }

    void fsynced(long nanos) {
        fsyncs.incrementAndGet();
        fsync.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** @param reason encode, write, open, unavailable, closed, fsync, compress, retention */
    void failure(String reason) {
        failures.incrementAndGet();
        registry.counter("ranker.log.failures", "reason", reason).increment();
    }

    void recoveryProblem(LogProblem.Type type) {
        registry.counter("ranker.log.recovery.problems", "type", type.name()).increment();
    }
}
