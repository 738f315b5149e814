package io.ranker.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.cli.RankerCli;
import io.ranker.testing.KafkaBrokerHarness;
import io.ranker.testing.RankerClient;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three service JVMs sharing one log root (each writes {@code <root>/<replica>/}), one redis-server (the shared online
 * state) and one Kafka broker (the log's copy for downstream platforms), all real. One cluster serves every test, in
 * order: what is served and fed back through different replicas is counted and joined once by {@code logs stats} and
 * {@code replay}; an exposure limit of 10 holds across two replicas; the Kafka topic holds every acknowledged record
 * across a broker restart; {@code kill -9} of a replica under load loses no acknowledged record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedLogRootIT {
    static final String NAME = "SharedLogRootIT";
    static final Path PROJECT = Path.of(System.getProperty("ranker.it.project-dir", System.getProperty("user.dir"))).toAbsolutePath();
    static final Path ROOT = PROJECT.resolve("target/it-shared-logs").resolve(NAME);
    static final Path CONFIG = PROJECT.resolve("target/it-config").resolve(NAME);
    static final String TOPIC = "ranker-log";
    static final ObjectMapper JSON = new ObjectMapper();
    static final KafkaBrokerHarness kafka = startKafka();

    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().name(NAME).replicas(3).redisStandalone()
            .env("RANKING_CONFIG_DIR", configWithCappedSurface().toString())
            .env("RANKING_LOG_DIR", ROOT.toString())
            .env("RANKING_LOG_KAFKA_ENABLED", "true")
            .env("RANKING_LOG_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())
            // correctness here, not latency (SharedOnlineStateRedisTest checks the budgets): a loaded CI box may stall
            // a Redis round trip beyond the 20 / 5 ms defaults, which would (by design) make a check fall back
            .env("RANKING_LOG_FEEDBACK_SHARED_BUDGET", "2s")
            .env("RANKING_EXPLORE_EXPOSURE_BUDGET", "2s")
            .build();

    /** Every impression id and feedback event id a replica acknowledged (200 / 202), over all tests. */
    static final Set<String> ackedImpressions = ConcurrentHashMap.newKeySet();
    static final Set<String> ackedEvents = ConcurrentHashMap.newKeySet();
    static final long started = System.nanoTime();

    private static KafkaBrokerHarness startKafka() {
        return KafkaBrokerHarness.startBroker();
    }

    @AfterAll
    static void stopKafka() {
        cluster.close(); // before the broker, so the replicas' Kafka copies do not wait for it at shutdown
        kafka.close();
        System.out.printf("SharedLogRootIT: %.1f s wall from class load (cluster and broker starts included)%n",
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * The checkout's ranking configuration plus a surface {@code capped}: the feed's sources and no rules, always
     * explored (Plackett-Luce, nearly uniform over the top 30, no protected position), exposure limit 10 per hour.
     */
    static Path configWithCappedSurface() {
        try {
            deleteTree(ROOT);
            deleteTree(CONFIG);
            try (Stream<Path> s = Files.walk(PROJECT.resolve("ranking-config"))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path to = CONFIG.resolve(PROJECT.resolve("ranking-config").relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else Files.copy(p, to);
                }
            }
            // one source (the first runs outside the retrieval budget) and generous budgets: the same request always
            // gets the same deterministic list, whatever the load
            String capped = """
                    surface: capped
                    description: Always explored, exposure limit 10 per hour (SharedLogRootIT).
                    limit:
                      default: 10
                      max: 100
                    sources:
                      - name: popular
                        type: popular
                        by: popularity
                        limit: 100
                    minCandidates: 10
                    budgets:
                      retrievalMs: 5000
                      featuresMs: 5000
                      scoringMs: 5000
                      totalMs: 20000

                    explorer:
                      type: plackett-luce
                      epsilon: 1.0
                      temperature: 1000
                      top-k: 30
                      protected-positions: 0
                      mc-samples: 200
                      exposure-limit: 10
                      exposure-period: 1h
                    """;
            Files.writeString(CONFIG.resolve("pipelines/capped.yaml"), capped);
            return CONFIG;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }

    private static ServiceProcess replica(int i) {
        return cluster.replica(i);
    }

    private static JsonNode rank(ServiceProcess r, String surface, String user, int limit) {
        JsonNode resp = r.client().rank(surface, user, null, limit);
        ackedImpressions.add(resp.path("impressionId").asText());
        return resp;
    }

    private static RankerClient.Response feedback(ServiceProcess r, String impressionId, String itemId, String type, String eventId) {
        String body = "{\"impressionId\":\"" + impressionId + "\",\"itemId\":\"" + itemId + "\",\"type\":\"" + type + "\""
                + (eventId == null ? "" : ",\"eventId\":\"" + eventId + "\"") + "}";
        RankerClient.Response resp = r.client().post("/v1/feedback", body, true);
        if (resp.status() == 202 && eventId != null) ackedEvents.add(eventId);
        return resp;
    }

    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RankerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    private static List<LogEntry> readRoot() {
        try (Stream<LogEntry> s = LogReader.of(ROOT).stream()) {
            return s.collect(Collectors.toList());
        }
    }

    @Test
    @Order(1)
    void trafficServedAndFedBackThroughDifferentReplicasIsCountedAndJoinedOnce() throws Exception {
        long t0 = System.nanoTime();
        Map<String, List<String>> shownBy = new HashMap<>(); // impression -> shown items
        List<String> byA = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 20; i++) {
                JsonNode resp = rank(replica(r), "feed", "stats-user-" + r + "-" + i, 5);
                String id = resp.path("impressionId").asText();
                shownBy.put(id, RankerClient.itemIds(resp));
                if (r == 0) byA.add(id);
            }
        }
        // feedback for A's impressions reaches B and C; each click once, with its own event id
        int clicks = 0;
        for (int i = 0; i < byA.size(); i++) {
            String imp = byA.get(i);
            ServiceProcess to = replica(1 + i % 2);
            JsonNode accepted = feedback(to, imp, shownBy.get(imp).get(0), "click", "ev-" + i).expect(202).json();
            assertThat(accepted.path("impressionKnown").asBoolean()).as("%s knows A's impression %s", to, imp).isTrue();
            assertThat(accepted.path("duplicate").asBoolean()).isFalse();
            clicks++;
        }
        // the client retries three events against the other replica: duplicates, logged once
        for (int i = 0; i < 3; i++) {
            JsonNode retry = feedback(replica(2 - i % 2), byA.get(i), shownBy.get(byA.get(i)).get(0), "click", "ev-" + i)
                    .expect(202).json();
            assertThat(retry.path("duplicate").asBoolean()).as("ev-%d again through another replica", i).isTrue();
        }
        // an impression id nobody served: accepted and logged, but it joins nothing
        assertThat(feedback(replica(1), "imp-forged", "x", "click", "ev-forged").expect(202).json()
                .path("impressionKnown").asBoolean()).isFalse();

        Cli stats = cli("logs", "stats", "--log-dir", ROOT.toString());
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("replicas: 3").contains("  r1: ").contains("  r2: ").contains("  r3: ")
                .contains("impression records: 60,")
                .contains("feedback records: " + (clicks + 1) + ",")
                .contains("feedback joined to an impression in the log: " + clicks + " of " + (clicks + 1));

        Path out = PROJECT.resolve("target/it-replicas").resolve(NAME).resolve("replay");
        Cli replay = cli("replay", "--data-dir", replica(0).dataDir().toString(), "--config-dir", CONFIG.toString(),
                "--log-dir", ROOT.toString(), "--surface", "feed", "--bootstrap", "20", "--out", out.toString());
        assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();
        JsonNode report = JSON.readTree(out.resolve("replay.json").toFile());
        JsonNode input = report.path("input");
        assertThat(input.path("impressionsOnSurface").asLong()).isEqualTo(60);
        assertThat(input.path("feedbackEventsJoined").asLong()).isEqualTo(clicks + 1);
        assertThat(input.path("impressionsWithFeedback").asLong()).as("one per clicked impression, and the forged one").isEqualTo(clicks + 1);
        long slots = shownBy.values().stream().mapToLong(List::size).sum();
        assertThat(report.path("offlineMetrics").path("loggedCtrAllImpressions").asDouble())
                .as("every click joined its impression (served by A, received by B or C)").isEqualTo((double) clicks / slots);
        System.out.printf("SharedLogRootIT: counts and joins across replicas in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(2)
    void anExposureLimitOfTenHoldsAcrossTwoReplicas() {
        long t0 = System.nanoTime();
        String user = "capped-user";
        // Each replica's deterministic list (what its kill switch serves; the replicas may serve different models): an
        // item in it is always in that replica's sampling pool, so the limit holds for the other items
        Set<String> deterministic = new HashSet<>();
        for (int r = 0; r < 2; r++) {
            replica(r).client().killSwitch(true).expect(200);
            List<String> d = RankerClient.itemIds(rank(replica(r), "capped", user, 10));
            replica(r).client().killSwitch(false).expect(200);
            assertThat(d).hasSize(10);
            deterministic.addAll(d);
        }

        Map<String, Integer> shows = new HashMap<>();
        for (int i = 0; i < 80; i++) {
            JsonNode resp = rank(replica(i % 2), "capped", user, 10);
            assertThat(resp.path("items").get(0).path("propensity").asDouble()).as("explored").isLessThan(1.0);
            for (String id : RankerClient.itemIds(resp)) if (!deterministic.contains(id)) shows.merge(id, 1, Integer::sum);
        }
        int max = shows.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        long atLimit = shows.values().stream().filter(n -> n == 10).count();
        System.out.printf("SharedLogRootIT: exposure limit 10 over 80 lists on 2 replicas: max %d, %d items at the limit (%.1f s)%n",
                max, atLimit, (System.nanoTime() - t0) / 1e9);
        assertThat(max).as("no item explored into more than 10 lists across both replicas: " + shows).isLessThanOrEqualTo(10);
        assertThat(atLimit).as("the limit was reached (without it, ~27 shows each): " + shows).isGreaterThanOrEqualTo(5);
    }

    @Test
    @Order(3)
    void theKafkaTopicHoldsEveryAcknowledgedRecordAcrossABrokerRestart() throws Exception {
        long t0 = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        Thread traffic = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    ServiceProcess r = replica(i % 3);
                    JsonNode resp = rank(r, "feed", "kafka-user-" + i, 5);
                    feedback(replica((i + 1) % 3), resp.path("impressionId").asText(), RankerClient.itemIds(resp).get(0),
                            "click", "kafka-ev-" + i);
                } catch (RuntimeException | AssertionError e) {
                    // a request that fails was not acknowledged: nothing to find
                }
            }
        }, "kafka-traffic");
        traffic.start();
        Thread.sleep(1_500);
        kafka.restart(false);
        Thread.sleep(1_500);
        stop.set(true);
        traffic.join();

        Set<String> impressions = new HashSet<>(ackedImpressions);
        Set<String> events = new HashSet<>(ackedEvents);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Set<String> seenImpressions = new HashSet<>();
        Set<String> seenEvents = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(TOPIC));
            for (long until = System.currentTimeMillis() + 90_000; System.currentTimeMillis() < until
                    && !(seenImpressions.containsAll(impressions) && seenEvents.containsAll(events)); ) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    JsonNode v = JSON.readTree(r.value());
                    assertThat(r.key()).isEqualTo(v.path("impressionId").asText());
                    assertThat(v.path("replica").asText()).matches("r[123]");
                    if ("impression".equals(v.path("kind").asText())) seenImpressions.add(r.key());
                    else if (v.hasNonNull("eventId")) seenEvents.add(v.path("eventId").asText());
                }
            }
        }
        System.out.printf("SharedLogRootIT: Kafka topic read back %d records; %d acknowledged impressions and %d events"
                + " (broker restarted under traffic) in %.1f s%n", records, impressions.size(), events.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(impressions).isNotEmpty();
        Set<String> missingImpressions = new HashSet<>(impressions);
        missingImpressions.removeAll(seenImpressions);
        Set<String> missingEvents = new HashSet<>(events);
        missingEvents.removeAll(seenEvents);
        assertThat(missingImpressions).as("acknowledged impressions missing from Kafka").isEmpty();
        assertThat(missingEvents).as("acknowledged feedback missing from Kafka").isEmpty();
    }

    @Test
    @Order(4)
    void killingAReplicaUnderLoadLosesNoAcknowledgedRecordOnAnyReplica() throws Exception {
        long t0 = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread c = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        ServiceProcess r = replica(ThreadLocalRandom.current().nextInt(3));
                        JsonNode resp = rank(r, "feed", "load-" + thread + "-" + i, 5);
                        feedback(replica(ThreadLocalRandom.current().nextInt(3)), resp.path("impressionId").asText(),
                                RankerClient.itemIds(resp).get(0), "click", "load-ev-" + thread + "-" + i);
                    } catch (RuntimeException | AssertionError e) {
                        // refused or cut by the kill: not acknowledged
                    }
                }
            }, "load-" + t);
            c.start();
            clients.add(c);
        }
        Thread.sleep(2_000);
        replica(2).kill();
        Thread.sleep(1_500);
        stop.set(true);
        for (Thread c : clients) c.join();

        Set<String> impressions = new HashSet<>();
        Set<String> events = new HashSet<>();
        for (LogEntry e : readRoot()) {
            if (e.isImpression()) impressions.add(e.impressionId());
            else if (e.isFeedback() && e.eventId() != null) events.add(e.eventId());
        }
        Set<String> missingImpressions = new HashSet<>(ackedImpressions);
        missingImpressions.removeAll(impressions);
        Set<String> missingEvents = new HashSet<>(ackedEvents);
        missingEvents.removeAll(events);
        System.out.printf("SharedLogRootIT: kill -9 of r3 under load: %d impressions and %d events acknowledged in all, the"
                + " root holds %d and %d (%.1f s)%n", ackedImpressions.size(), ackedEvents.size(), impressions.size(),
                events.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(missingImpressions).as("acknowledged impressions missing from the log root").isEmpty();
        assertThat(missingEvents).as("acknowledged feedback missing from the log root").isEmpty();
        Cli verify = cli("logs", "verify", "--log-dir", ROOT.toString());
        assertThat(verify.exit()).as("at most a torn last record of the killed replica: " + verify.out()).isIn(0, 1);
        assertThat(verify.out()).doesNotContain("CORRUPT");
    }
}
