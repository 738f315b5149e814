package io.ranker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.testing.RankerClient;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared catalog's figures, on two replicas (C2 compiler, 1 GB heap) and a real redis-server; not part of
 * {@code mvn verify} (it takes minutes and measures rather than checks). Run it with
 * <pre>
 *   mvn -B package -DskipTests && mvn -B failsafe:integration-test -Dit.test=SharedCatalogPerfIT -Dranker.it.catalog.perf=true
 * </pre>
 * <ol>
 *   <li>Visibility: writes acknowledged by A at a fixed rate (100/s as one-item PUTs; 1,000/s as 100 PUTs/s of 10
 *       items), and how long until B's searches see each one: B's {@code visibleId} (what a search sees, the signal
 *       {@code ?wait=applied} waits for) polled every 5 ms, from the acknowledgement on A; p50/p99. B's own
 *       {@code ranker_catalog_visibility_seconds} (append to searchable) is printed beside it, and every 100th write
 *       is also searched for on B once visible, to check the signal.</li>
 *   <li>Scale: 100,000 items (64-d vectors) appended with {@code index --changelog}; how fast B applies them (wall and
 *       its JVM's CPU), and B's index size on disk and resident memory afterwards.</li>
 * </ol>
 */
@EnabledIfSystemProperty(named = "ranker.it.catalog.perf", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedCatalogPerfIT {
    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(2).redisStandalone()
            .jvmOption("-XX:TieredStopAtLevel=4").jvmOption("-Xmx1g").build();

    record Write(String position, long ackNanos, String word) {
    }

    @Test
    @Order(1)
    void visibilityAt100WritesPerSecond() throws Exception {
        visibility(100, 1, 30);
    }

    @Test
    @Order(2)
    void visibilityAt1000WritesPerSecond() throws Exception {
        visibility(100, 10, 30);
    }

    void visibility(int requestsPerSecond, int itemsPerRequest, int seconds) throws Exception {
        ServiceProcess a = cluster.replica(0), b = cluster.replica(1);
        ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<long[]> visibleSeen = Collections.synchronizedList(new ArrayList<>()); // {ms, seq, nanos}
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    String v = b.client().get("/v1/catalog/changelog").json().path("visibleId").asText();
                    long now = System.nanoTime();
                    String[] p = v.split("-");
                    visibleSeen.add(new long[]{Long.parseLong(p[0]), Long.parseLong(p[1]), now});
                    Thread.sleep(5);
                } catch (Exception e) {
                    failures.add("poll: " + e);
                }
            }
        }, "visible-poller");
        poller.start();
        ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor();
        ExecutorService senders = Executors.newFixedThreadPool(32);
        long periodMicros = 1_000_000 / requestsPerSecond;
        int[] n = {0};
        String run = Long.toString(System.nanoTime(), 36);
        tick.scheduleAtFixedRate(() -> {
            int k = n[0]++;
            senders.submit(() -> {
                StringBuilder body = new StringBuilder("[");
                String word = "vis" + run + "x" + k;
                for (int i = 0; i < itemsPerRequest; i++) {
                    if (i > 0) body.append(',');
                    body.append("{\"id\":\"").append(word).append('-').append(i).append("\",\"title\":\"").append(word)
                            .append("\",\"vector\":").append(vector(k * 31 + i)).append('}');
                }
                body.append(']');
                try {
                    RankerClient.Response r = a.client().putItems(body.toString());
                    long acked = System.nanoTime();
                    if (r.status() != 200) failures.add("PUT " + r.status() + " " + r.body());
                    else writes.add(new Write(r.json().path("position").asText(), acked, word));
                } catch (RuntimeException e) {
                    failures.add("PUT: " + e);
                }
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        tick.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        Thread.sleep(3000);
        polling.set(false);
        poller.join();
        assertThat(failures).isEmpty();

        List<Long> millis = new ArrayList<>();
        int unseen = 0, checked = 0;
        List<long[]> seen = new ArrayList<>(visibleSeen);
        for (Write w : writes) {
            String[] p = w.position().split("-");
            long ms = Long.parseLong(p[0]), seq = Long.parseLong(p[1]);
            Long at = null;
            for (long[] s : seen) {
                if (s[2] >= w.ackNanos() - 5_000_000L && (s[0] > ms || s[0] == ms && s[1] >= seq)) {
                    at = s[2];
                    break;
                }
            }
            if (at == null) {
                unseen++;
                continue;
            }
            millis.add(Math.max(0, (at - w.ackNanos()) / 1_000_000));
            if (checked < 20 && millis.size() % 100 == 0) {
                checked++;
                List<String> ids = RankerClient.itemIds(b.client().rank("search", "u1", w.word(), 20));
                assertThat(ids).as("B's search finds %s once its visibleId covers it", w.word()).contains(w.word() + "-0");
            }
        }
        Collections.sort(millis);
        int writesPerSecond = requestsPerSecond * itemsPerRequest;
        String metrics = b.client().metrics().body();
        System.out.printf("SharedCatalogPerfIT: %d writes/s (%d PUT/s x %d items) for %d s: %d acknowledged on A; visible on B after"
                        + " p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (%d never seen); B's ranker_catalog_visibility_seconds %s%n",
                writesPerSecond, requestsPerSecond, itemsPerRequest, seconds, writes.size() * itemsPerRequest, pct(millis, 0.5), pct(millis, 0.9),
                pct(millis, 0.99), millis.isEmpty() ? -1 : millis.get(millis.size() - 1), unseen, quantiles(metrics));
        assertThat(unseen).isZero();
    }

    @Test
    @Order(3)
    void applyRateIndexSizeAndMemoryPer100kItems() throws Exception {
        ServiceProcess b = cluster.replica(1);
        Path file = cluster.baseDir().resolve("items-100k.jsonl");
        Files.writeString(file, SharedCatalogLoad.ndjson("scale", 100_000, 64, 9), StandardCharsets.UTF_8);
        JsonNode before = b.client().get("/v1/catalog/changelog").expect(200).json();
        long cpu0 = cpu(b);
        long t0 = System.nanoTime();
        Path jar = cluster.projectDir().resolve("target/quarkus-app/quarkus-run.jar");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "index",
                "--changelog", "--file", file.toString(), "--redis", cluster.redis().hosts()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        long appended = System.nanoTime();
        AtomicReference<JsonNode> status = new AtomicReference<>();
        long deadline = System.currentTimeMillis() + 600_000;
        do {
            Thread.sleep(200);
            status.set(b.client().get("/v1/catalog/changelog").expect(200).json());
        } while (status.get().path("consumed").asLong() - before.path("consumed").asLong() < 100_000 && System.currentTimeMillis() < deadline);
        long applied = System.nanoTime();
        long cpu1 = cpu(b);
        Thread.sleep(5000); // background merges
        long indexBytes;
        try (Stream<Path> files = Files.walk(b.dataDir().resolve("index"))) {
            indexBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        String statusLine = Files.readAllLines(Path.of("/proc/" + b.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("?");
        String metrics = b.client().metrics().body();
        double heapUsed = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        double seconds = (applied - t0) / 1e9;
        System.out.printf("SharedCatalogPerfIT: 100,000 items (64-d): appended by index --changelog in %.1f s (%s); applied on B %.1f s after the"
                        + " start: %.0f items/s wall, B's JVM used %.1f s CPU (%.0f items per CPU-second, serving idle otherwise); B's index %.0f MB"
                        + " on disk for %d items; B %s, heap used %.0f MB%n",
                (appended - t0) / 1e9, out.strip().replace('\n', ' '), seconds, 100_000 / seconds, (cpu1 - cpu0) / 1e9,
                100_000 / ((cpu1 - cpu0) / 1e9), indexBytes / 1e6, status.get().path("consumed").asLong(), statusLine.replaceAll("\\s+", " "),
                heapUsed / 1e6);
    }

    static long cpu(ServiceProcess p) {
        return ProcessHandle.of(p.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    static String vector(int seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 64; i++) b.append(i == 0 ? "" : ",").append((float) r.nextGaussian());
        return b.append(']').toString();
    }

    static long pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) return -1;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static String quantiles(String metrics) {
        StringBuilder b = new StringBuilder();
        metrics.lines().filter(l -> l.startsWith("ranker_catalog_visibility_seconds{") && l.contains("quantile"))
                .forEach(l -> b.append(l.replaceAll(".*quantile=\"([0-9.]+)\".* ", "q$1=")).append("s "));
        return b.toString().trim();
    }
}
