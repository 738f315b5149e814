package io.ranker.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Self-test of {@link KafkaBrokerHarness}: a real single-node KRaft broker from Maven Central, in a child JVM;
 * records produced with acks=all are all consumed back, keys and values intact and in order per partition; after
 * close nothing listens and the log directory is gone.
 */
class KafkaBrokerHarnessIT {
    @Test
    void producesAndConsumesRecordsThenStopsAndCleansUp() throws Exception {
        KafkaBrokerHarness kafka = KafkaBrokerHarness.startBroker();
        Path log;
        String servers;
        try {
            servers = kafka.bootstrapServers();
            log = kafka.logFile();
            System.out.printf("KafkaBrokerHarnessIT: broker on %s written to after %.1f s wall (classpath resolution included),"
                    + " %.1f s CPU of its JVM%n", servers, kafka.startedIn().toMillis() / 1000.0, kafka.startCpu().toMillis() / 1000.0);
            assertThat(Files.readString(log)).contains("Kafka Server started");

            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            int n = 200;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                List<Future<?>> sent = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) sent.add(producer.send(new ProducerRecord<>("impressions", "imp-" + i, "{\"n\":" + i + "}")));
                for (Future<?> f : sent) f.get();
            }

            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "harness-test");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            Map<String, String> received = new HashMap<>();
            List<String> order = new java.util.ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                consumer.subscribe(List.of("impressions"));
                for (long until = System.currentTimeMillis() + 60_000; received.size() < n && System.currentTimeMillis() < until; ) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        received.put(r.key(), r.value());
                        order.add(r.key());
                    }
                }
                consumer.commitSync();
            }
            assertThat(received).hasSize(n);
            for (int i = 0; i < n; i++) assertThat(received).containsEntry("imp-" + i, "{\"n\":" + i + "}");
            assertThat(order).as("one partition: the produced order").containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, n).mapToObj(i -> "imp-" + i).toList());
        } finally {
            kafka.close();
        }
        assertThat(log).doesNotExist();
        int port = Integer.parseInt(servers.substring(servers.indexOf(':') + 1));
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            }
        }).as("nothing listens after close").isInstanceOf(java.io.IOException.class);
    }
}
