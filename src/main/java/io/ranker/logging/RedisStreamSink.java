package io.ranker.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies every record to a Redis stream ({@code XADD key MAXLEN ~ n * kind <kind> record <json>}) so several
 * replicas feed one consumer. Asynchronous and best effort: the local segment is the record of truth. Records
 * are queued and sent in pipelined batches, one batch at a time; when Redis is slow or down and
 * {@code maxQueued} records are waiting, further records are dropped and counted, never waited for.
 */
public final class RedisStreamSink implements LogSink {
    private static final int BATCH = 256;

    private final Redis redis;
    private final String key;
    private final long maxLen;
    private final boolean approximate;
    private final int maxQueued;
    private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final Counter published;
    private final Counter dropped;
    private final Counter failed;

    public RedisStreamSink(Redis redis, String key, long maxLen, boolean approximate, int maxQueued, MeterRegistry registry) {
        this.redis = redis;
        this.key = key;
        this.maxLen = maxLen;
        this.approximate = approximate;
        this.maxQueued = maxQueued;
        this.published = registry.counter("ranker.log.stream.published");
        this.dropped = registry.counter("ranker.log.stream.dropped");
        this.failed = registry.counter("ranker.log.stream.failures");
    }

    @Override
    public void publish(String kind, byte[] json, int offset, int length) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        Request xadd = Request.cmd(Command.XADD).arg(key).arg("MAXLEN");
        if (approximate) xadd.arg("~");
        xadd.arg(maxLen).arg("*").arg("kind").arg(kind).arg("record").arg(Buffer.buffer().appendBytes(json, offset, length));
        queue.add(xadd);
        sendNext();
    }

    /** Sends one pipelined batch unless one is already on its way; its completion sends the next. */
    private void sendNext() {
        while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
            List<Request> batch = new ArrayList<>();
            Request r;
            while (batch.size() < BATCH && (r = queue.poll()) != null) batch.add(r);
            if (batch.isEmpty()) {
                sending.set(false);
                continue; // recheck: a record may have arrived after the poll
            }
            queued.addAndGet(-batch.size());
            try {
                redis.batch(batch).onComplete(ar -> {
                    if (ar.succeeded()) published.increment(batch.size());
                    else failed.increment(batch.size());
                    sending.set(false);
                    sendNext();
                });
            } catch (RuntimeException e) {
                failed.increment(batch.size());
                sending.set(false);
            }
            return;
        }
    }

    public double published() {
        return published.count();
    }

    public double dropped() {
        return dropped.count();
    }

    public double failed() {
        return failed.count();
    }
}
