package io.ranker.logging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka copy's own logic (the real broker is in SharedLogRootIT): what it sends, retries, drops and refuses. */
class KafkaLogSinkTest {
    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 500 && !done.getAsBoolean(); i++) Thread.sleep(10);
        assertThat(done.getAsBoolean()).isTrue();
    }

    @Test
    void sendsEachDurableRecordKeyedByImpressionIdWithItsKindAndReplica() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        KafkaLogSink sink = new KafkaLogSink(producer, "ranker-log", "pod-a", 1 << 20, registry);
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.forReplica(dir, "pod-a"), Clock.systemUTC(), registry)) {
            log.addSink(sink);
            log.append(SampleRecords.impression("imp-1", 1_000));
            log.append(new FeedbackEvent("imp-1", "x", "click", null, 2_000, "ev-1", 2_000));
            await(() -> producer.history().size() == 2);
        }
        sink.close();
        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("imp-1", "imp-1");
        assertThat(new String(sent.get(0).value(), StandardCharsets.UTF_8)).startsWith("{\"kind\":\"impression\",\"replica\":\"pod-a\"");
        assertThat(new String(sent.get(1).headers().lastHeader("kind").value(), StandardCharsets.UTF_8)).isEqualTo("feedback");
        assertThat(new String(sent.get(1).headers().lastHeader("replica").value(), StandardCharsets.UTF_8)).isEqualTo("pod-a");
        // the value is the segment's record, byte for byte
        try (var s = LogReader.of(dir).stream()) {
            assertThat(s.map(LogEntry::json).toList()).containsExactly(
                    new String(sent.get(0).value(), StandardCharsets.UTF_8), new String(sent.get(1).value(), StandardCharsets.UTF_8));
        }
        assertThat(registry.counter("ranker.log.kafka.sent").count()).isEqualTo(2);
    }

    @Test
    void aRetriableFailureIsSentAgainAndARefusedRecordIsDroppedAndCounted() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        KafkaLogSink sink = new KafkaLogSink(producer, "t", "r", 1 << 20, registry);
        byte[] json = "{\"kind\":\"feedback\"}".getBytes(StandardCharsets.UTF_8);
        sink.feedback(new FeedbackEvent("imp-1", "x", "click", null, 1, null, 1), json, 0, json.length);
        sink.feedback(new FeedbackEvent("imp-2", "x", "click", null, 1, null, 1), json, 0, json.length);
        await(() -> producer.history().size() == 2);
        assertThat(producer.errorNext(new NetworkException("broker restarting"))).isTrue();
        assertThat(producer.errorNext(new RecordTooLargeException("too big"))).isTrue();
        await(() -> producer.history().size() == 3); // imp-1 again
        assertThat(producer.history().get(2).key()).isEqualTo("imp-1");
        assertThat(producer.completeNext()).isTrue();
        assertThat(registry.counter("ranker.log.kafka.retried").count()).isEqualTo(1);
        assertThat(registry.counter("ranker.log.kafka.dropped", "reason", "rejected").count()).isEqualTo(1);
        assertThat(registry.counter("ranker.log.kafka.sent").count()).isEqualTo(1);
        sink.close();
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        // a producer whose send blocks, like one waiting for a broker it cannot reach
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
            }
        };
        KafkaLogSink sink = new KafkaLogSink(producer, "t", "r", 1_000, registry);
        byte[] json = new byte[300];
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) sink.feedback(new FeedbackEvent("imp-" + i, "x", "click", null, 1, null, 1), json, 0, json.length);
        assertThat((System.nanoTime() - t0) / 1e6).as("the request thread never waits").isLessThan(500);
        // one record is with the blocked sender, three fit in 1,000 bytes, the rest are dropped
        assertThat(registry.counter("ranker.log.kafka.dropped", "reason", "queue-full").count()).isBetween(6.0, 7.0);
        release.countDown();
        sink.close();
        assertThat(registry.counter("ranker.log.kafka.sent").count()
                + registry.counter("ranker.log.kafka.dropped", "reason", "queue-full").count()).isEqualTo(10);
    }

    @Test
    void settingsThatWouldBreakAtLeastOnceAreRefused() {
        Properties p = KafkaLogSink.producerProperties("k:9092", "r1", Map.of("compression.type", "zstd", "linger.ms", "20"));
        assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "all").containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry("compression.type", "zstd").containsEntry("linger.ms", "20").containsEntry("client.id", "ranker-log-r1");
        assertThatThrownBy(() -> KafkaLogSink.producerProperties("k:9092", "r1", Map.of("acks", "1")))
                .hasMessageContaining("acks=1").hasMessageContaining("at-least-once");
        assertThatThrownBy(() -> KafkaLogSink.producerProperties("k:9092", "r1", Map.of("enable.idempotence", "false")))
                .hasMessageContaining("enable.idempotence");
    }
}
