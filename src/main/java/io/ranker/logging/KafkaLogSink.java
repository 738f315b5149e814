package io.ranker.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies every record, once durable in the local segment, to a Kafka topic: key = the impression id (an impression and
 * its feedback share a partition), value = the record's JSON exactly as in the segment (with {@code kind} and
 * {@code replica}), headers {@code kind} and {@code replica}.
 *
 * <p>At-least-once while the replica runs: an idempotent producer with {@code acks=all} and unbounded retries within
 * {@code delivery.timeout.ms}; a record whose delivery still fails with a retriable error (a broker down for longer) is
 * queued again. The request thread never waits for Kafka: records go to a queue bounded in bytes, drained by one
 * sender thread (which may block in {@code send} while the broker is unknown); when the queue is full, records are
 * dropped and counted. Records still queued when the process dies are not in Kafka: the segments are the system of
 * record, this is a copy for downstream consumers.
 */
public final class KafkaLogSink implements LogSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaLogSink.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private record Pending(String kind, String key, byte[] value) {
    }

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final byte[] replica;
    private final long maxQueuedBytes;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread sender;
    private final Counter sent;
    private final Counter retried;
    private final Counter droppedFull;
    private final Counter droppedRejected;
    private final Counter droppedShutdown;
    private volatile boolean closing;
    private volatile long lastWarning;

    public KafkaLogSink(Producer<String, byte[]> producer, String topic, String replica, long maxQueuedBytes,
                        MeterRegistry registry) {
        this.producer = producer;
        this.topic = topic;
        this.replica = replica == null ? null : replica.getBytes(StandardCharsets.UTF_8);
        this.maxQueuedBytes = maxQueuedBytes;
        this.sent = registry.counter("ranker.log.kafka.sent");
        this.retried = registry.counter("ranker.log.kafka.retried");
        this.droppedFull = registry.counter("ranker.log.kafka.dropped", "reason", "queue-full");
        this.droppedRejected = registry.counter("ranker.log.kafka.dropped", "reason", "rejected");
        this.droppedShutdown = registry.counter("ranker.log.kafka.dropped", "reason", "shutdown");
        Gauge.builder("ranker.log.kafka.queued.bytes", queuedBytes, AtomicLong::get).register(registry);
        this.sender = new Thread(this::drain, "ranker-log-kafka");
        sender.setDaemon(true);
        sender.start();
    }

    /** The service's sink from {@code ranking.log.kafka.*}. */
    public static KafkaLogSink start(LogSettings.Kafka settings, String replica, MeterRegistry registry) {
        String servers = settings.bootstrapServers().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "ranking.log.kafka.enabled=true needs ranking.log.kafka.bootstrap-servers (RANKING_LOG_KAFKA_BOOTSTRAP_SERVERS)"));
        Properties p = producerProperties(servers, replica, settings.properties());
        LOG.infof("impression log: copying records to Kafka topic %s at %s", settings.topic(), servers);
        return new KafkaLogSink(new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()), settings.topic(),
                replica, settings.maxQueued().asLongValue(), registry);
    }

    /**
     * The producer settings: at-least-once ones that cannot be overridden (acks=all, idempotence, unbounded retries),
     * defaults that can (lz4 compression, 5 ms linger), then the operator's.
     */
    static Properties producerProperties(String servers, String replica, Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000"); // the sender thread's longest wait for an unknown broker
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "ranker-log-" + replica);
        extra.forEach((k, v) -> p.put(k.replace("\"", ""), v));
        for (String key : new String[]{ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG}) {
            Object v = p.get(key);
            String wanted = key.equals(ProducerConfig.ACKS_CONFIG) ? "all" : "true";
            if (v != null && !v.toString().trim().toLowerCase(Locale.ROOT).equals(wanted)
                    && !(key.equals(ProducerConfig.ACKS_CONFIG) && v.toString().trim().equals("-1"))) {
                throw new IllegalStateException("ranking.log.kafka.properties." + key + "=" + v
                        + " would break at-least-once delivery; it must be " + wanted + " (or left out)");
            }
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        return p;
    }

    @Override
    public void impression(ImpressionRecord record, byte[] json, int offset, int length) {
        offer(LogJson.IMPRESSION, record.impressionId(), json, offset, length);
    }

    @Override
    public void feedback(FeedbackEvent event, byte[] json, int offset, int length) {
        offer(LogJson.FEEDBACK, event.impressionId(), json, offset, length);
    }

    private void offer(String kind, String key, byte[] json, int offset, int length) {
        if (closing || queuedBytes.get() + length > maxQueuedBytes) {
            droppedFull.increment();
            warn("queue full (" + queuedBytes.get() + " bytes waiting): records are dropped from the Kafka copy");
            return;
        }
        queuedBytes.addAndGet(length);
        queue.addLast(new Pending(kind, key, Arrays.copyOfRange(json, offset, offset + length)));
    }

    /** The sender thread: hands records to the producer until closed and drained. */
    private void drain() {
        while (true) {
            Pending p;
            try {
                p = queue.pollFirst(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (p == null) {
                if (closing) break;
                continue;
            }
            queuedBytes.addAndGet(-p.value().length);
            try {
                producer.send(record(p), callback(p));
            } catch (RuntimeException e) { // metadata or buffer wait over max.block.ms, or the producer is closing
                if (closing) {
                    droppedShutdown.increment();
                    continue;
                }
                requeue(p, e);
                sleep(200);
            }
        }
    }

    private ProducerRecord<String, byte[]> record(Pending p) {
        RecordHeaders h = new RecordHeaders();
        h.add("kind", p.kind().getBytes(StandardCharsets.UTF_8));
        if (replica != null) h.add("replica", replica);
        return new ProducerRecord<>(topic, null, p.key(), p.value(), h);
    }

    private Callback callback(Pending p) {
        return (metadata, e) -> {
            if (e == null) sent.increment();
            else if (e instanceof RetriableException || e instanceof org.apache.kafka.common.errors.TimeoutException) requeue(p, e);
            else {
                droppedRejected.increment();
                warn("Kafka refused a " + p.kind() + " record (" + p.value().length + " bytes): " + e);
            }
        };
    }

    /** A record whose delivery failed for a reason that may pass goes to the front again, if there is room. */
    private void requeue(Pending p, Exception why) {
        if (closing || queuedBytes.get() + p.value().length > maxQueuedBytes) {
            (closing ? droppedShutdown : droppedFull).increment();
            return;
        }
        retried.increment();
        queuedBytes.addAndGet(p.value().length);
        queue.addFirst(p);
        warn("Kafka delivery failed, retrying: " + why);
    }

    private void warn(String message) {
        long now = System.currentTimeMillis();
        if (now - lastWarning < 10_000) return; // once per 10 s, the counters have the numbers
        lastWarning = now;
        LOG.warn("impression log: " + message);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records waiting to be handed to the producer. */
    public int queued() {
        return queue.size();
    }

    /**
     * Hands what is queued to the producer and waits (up to 10 s) for Kafka to acknowledge it; what is left is dropped
     * and counted.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) sleep(20);
        closing = true;
        try {
            sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        int left = queue.size();
        if (left > 0) {
            droppedShutdown.increment(left);
            LOG.warnf("impression log: %d records were not copied to Kafka before shutdown (they are in the segments)", left);
        }
    }
}
