package io.ranker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.testing.RankerClient;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's acceptance: three replicas share one redis-server and one catalog, written through any of them.
 * In order: a write on A is searchable on B and C within a second; 20,000 upserts and 2,000 deletes from four
 * clients to random replicas while ranking traffic runs end in the same catalog (digest) everywhere; the same item
 * updated through two replicas at once ends in the same version everywhere (the one the changelog put last);
 * {@code kill -9} of a replica while it applies a bulk load, and its restart, converge; with Redis paused, catalog
 * writes answer 503 and ranking serves, and everything catches up after it resumes; a fourth replica starts from
 * the newest snapshot (scheduled ones and {@code index snapshot}) and converges.
 * <p>
 * The load is {@code -Dranker.it.catalog.upserts} and {@code -Dranker.it.catalog.deletes}: 2,000 and 200 in {@code mvn verify}
 * (the issue's 20,000 and 2,000 take about 8 minutes on the shared 2-core machine, against the suite's budget), the full
 * size with {@code mvn -B verify -Dit.test=SharedCatalogIT -Dranker.it.catalog.upserts=20000 -Dranker.it.catalog.deletes=2000}.
 * {@link SharedCatalogLoad} does the writing and the checking.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedCatalogIT {
    static final Path SNAPSHOTS = Path.of(System.getProperty("ranker.it.project-dir", System.getProperty("user.dir")))
            .toAbsolutePath().resolve("target/it-replicas/SharedCatalogIT/snapshots");

    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(3).redisStandalone()
            .env("RANKING_CATALOG_SNAPSHOT_DIR", SNAPSHOTS.toString())
            .env("RANKING_CATALOG_SNAPSHOT_EVERY", "20s")
            .env("RANKING_CATALOG_SNAPSHOT_KEEP", "3")
            .build();

    /** How late another replica may serve what one acknowledged (ARCHITECTURE.md, scale-out contract). */
    static final long PROPAGATION_MILLIS = 1_000;

    @Test
    @Order(1)
    void anItemWrittenOnAIsSearchableOnBAndCWithinOneSecond() throws Exception {
        ServiceProcess a = cluster.replica(0);
        // a word no demo item has, so a search for it finds this item or nothing of the demo
        String word = "zorblax" + UUID.randomUUID().toString().substring(0, 8);
        String id = "it-" + word;
        for (ServiceProcess r : cluster.replicas()) assertThat(found(r, word, id)).as("no item on %s matches the new word", r).isFalse();

        a.client().putItems("[{\"id\":\"" + id + "\",\"title\":\"" + word + " desk lamp\",\"attributes\":"
                + "{\"brand\":\"acme\",\"price\":12.5,\"in_stock\":true}}]").expect(200);
        long acknowledged = System.nanoTime();

        List<ServiceProcess> all = cluster.replicas();
        for (ServiceProcess r : all) {
            long millis = awaitFound(r, word, id, acknowledged);
            System.out.printf("SharedCatalogIT: %s found %s %d ms after %s acknowledged it%n", r, id, millis, a);
        }
    }

    @Test
    @Order(2)
    void concurrentWritesToRandomReplicasWhileRankingEndInTheSameCatalogEverywhere() throws Exception {
        int upserts = Integer.getInteger("ranker.it.catalog.upserts", 2_000);
        int deletes = Integer.getInteger("ranker.it.catalog.deletes", 200);
        SharedCatalogLoad.Result r = new SharedCatalogLoad(cluster.replicas(), 4, 64, 13).run(upserts, deletes);
        System.out.printf("SharedCatalogIT: %s%n", r);
        assertThat(r.upserted()).isEqualTo(upserts);
        assertThat(r.deleted()).isEqualTo(deletes);
        assertThat(r.rankFailures()).as("ranking requests that failed during the load").isZero();
        assertThat(r.ranked()).as("ranking ran during the load").isGreaterThan(10);
        Map<String, JsonNode> digests = SharedCatalogLoad.awaitConverged(cluster.replicas(), 180);
        JsonNode first = digests.values().iterator().next();
        assertThat(first.path("items").asInt()).isEqualTo(r.expectedItemsAdded() + 201);
    }

    @Test
    @Order(3)
    void theSameItemUpdatedThroughTwoReplicasAtOnceEndsInOneVersionEverywhere() throws Exception {
        ServiceProcess a = cluster.replica(0), b = cluster.replica(1);
        Map<String, String> titleAt = new ConcurrentHashMap<>(); // changelog position -> title written there
        List<Thread> writers = new ArrayList<>();
        for (ServiceProcess via : List.of(a, b)) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 40; i++) {
                    String title = "contested " + via.replicaId() + " " + i;
                    JsonNode ack = via.client().putItems("[{\"id\":\"contested\",\"title\":\"" + title + "\"}]").expect(200).json();
                    titleAt.put(ack.path("position").asText(), title);
                }
            });
            t.start();
            writers.add(t);
        }
        for (Thread t : writers) t.join();
        String lastPosition = titleAt.keySet().stream().max(SharedCatalogIT::comparePositions).orElseThrow();
        String winner = titleAt.get(lastPosition);
        SharedCatalogLoad.awaitConverged(cluster.replicas(), 60);
        for (ServiceProcess r : cluster.replicas()) {
            assertThat(r.client().getItem("contested").expect(200).json().path("title").asText())
                    .as("%s holds the write the changelog put last (%s)", r, lastPosition).isEqualTo(winner);
        }
    }

    @Test
    @Order(4)
    void aReplicaKilledWhileApplyingABulkLoadConvergesAfterItsRestart() throws Exception {
        ServiceProcess a = cluster.replica(0), c = cluster.replica(2);
        String before = c.client().get("/v1/catalog/changelog").expect(200).json().path("appliedId").asText();
        java.util.concurrent.atomic.AtomicReference<RankerClient.Response> loaded = new java.util.concurrent.atomic.AtomicReference<>();
        Thread load = new Thread(() -> loaded.set(a.client().put("/v1/items", SharedCatalogLoad.ndjson("bulk", 5_000, 64, 5),
                "application/x-ndjson", true)));
        load.start();
        // kill C once it has started on the load, before it has finished it
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode s = c.client().get("/v1/catalog/changelog").expect(200).json();
            if (!s.path("appliedId").asText().equals(before) && s.path("lagEntries").asLong() > 0) break;
            Thread.sleep(5);
        }
        JsonNode atKill = c.client().get("/v1/catalog/changelog").expect(200).json();
        c.kill();
        load.join();
        assertThat(loaded.get().expect(200).json().path("accepted").asInt()).isEqualTo(5_000);
        System.out.printf("SharedCatalogIT: killed %s at %s (lag %d entries, committed %s)%n", c, atKill.path("appliedId").asText(),
                atKill.path("lagEntries").asLong(), atKill.path("committedId").asText());
        c.restart(ServiceCluster.READY_TIMEOUT);
        String log = Files.readString(c.logFile()).substring(Files.readString(c.logFile()).lastIndexOf("=== harness: start #"));
        // it resumes from its own last commit, or, when a snapshot meanwhile trimmed the changelog past that commit
        // (a slow restart on a busy machine), from the newest snapshot
        assertThat(log).containsAnyOf("follows the changelog from " + atKill.path("committedId").asText(), "replacing the index with snapshot");
        System.out.printf("SharedCatalogIT: %s restarted after %s: %s%n", c, c.lastStart(),
                log.contains("replacing the index") ? "the changelog was trimmed past its commit meanwhile: restored the newest snapshot"
                        : "resumed from its last commit " + atKill.path("committedId").asText());
        SharedCatalogLoad.awaitConverged(cluster.replicas(), 120);
        assertThat(c.client().getItem("bulk-4999").status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void withRedisPausedCatalogWritesAnswer503AndRankingServesThenEverythingCatchesUp() throws Exception {
        cluster.redis().pause();
        try {
            for (ServiceProcess r : cluster.replicas()) {
                long t0 = System.nanoTime();
                RankerClient.Response put = r.client().putItems("[{\"id\":\"while-paused\",\"title\":\"paused\"}]");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(put.status()).as("%s: %s", r, put.body()).isEqualTo(503);
                assertThat(put.header("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(put.header("Retry-After")).isPresent();
                assertThat(put.json().path("detail").asText()).contains("Redis");
                assertThat(millis).as("answered in %d ms", millis).isLessThan(5_000);
                assertThat(r.client().deleteItem("bulk-1").status()).isEqualTo(503);
                JsonNode rank = r.client().rank("search", "u-paused", "running shoes", 5);
                assertThat(RankerClient.itemIds(rank)).as("%s ranks from its own index", r).isNotEmpty();
                assertThat(r.client().ready()).as("%s stays ready, serving what it has", r).isTrue();
            }
        } finally {
            cluster.redis().resume();
        }
        // after the pause: writes go through again and every replica catches up without a restart
        String word = "resumed" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.currentTimeMillis();
        while (cluster.replica(1).client().putItems("[{\"id\":\"" + word + "\",\"title\":\"" + word + "\"}]").status() != 200) {
            assertThat(System.currentTimeMillis() - t0).as("writes resume").isLessThan(30_000);
            Thread.sleep(200);
        }
        long acknowledged = System.nanoTime();
        for (ServiceProcess r : cluster.replicas()) {
            while (!found(r, word, word)) {
                assertThat((System.nanoTime() - acknowledged) / 1_000_000).as("%s catches up", r).isLessThan(30_000);
                Thread.sleep(50);
            }
        }
        SharedCatalogLoad.awaitConverged(cluster.replicas(), 60);
    }

    @Test
    @Order(6)
    void aFourthReplicaStartsFromTheNewestSnapshotAndConverges() throws Exception {
        // the scheduled snapshots (every 20 s, on one replica each time) and one by the command, with no replica
        SharedCatalogLoad.runSnapshotCommand(cluster, SNAPSHOTS);
        List<String> snapshots;
        try (var dirs = Files.list(SNAPSHOTS)) {
            snapshots = dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("snapshot-")).sorted().toList();
        }
        assertThat(snapshots).as("kept: ranking.catalog.snapshot.keep=3 (the command keeps 2)").hasSizeBetween(1, 3);
        String xlen = cluster.redis().cli("XLEN", "ranker:{catalog}:changelog").trim();
        String added = SharedCatalogLoad.entriesAdded(cluster.redis());
        assertThat(Long.parseLong(xlen)).as("the changelog is trimmed up to the oldest snapshot kept").isLessThan(Long.parseLong(added));

        ServiceProcess d = cluster.addReplica();
        String log = Files.readString(d.logFile());
        assertThat(log).contains("restored snapshot " + snapshots.get(snapshots.size() - 1));
        Map<String, JsonNode> digests = SharedCatalogLoad.awaitConverged(cluster.replicas(), 120);
        assertThat(digests).hasSize(4);
    }

    static int comparePositions(String x, String y) {
        String[] a = x.split("-"), b = y.split("-");
        int c = Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]));
    }

    /**
     * Searches on the replica until the item is in the results; the search that finds it must have been sent
     * within {@link #PROPAGATION_MILLIS} of the acknowledgement. A search is sent every 25 ms without waiting for the
     * previous answer, so a slow answer (a busy machine) does not hide when the replica started to serve the item.
     */
    static long awaitFound(ServiceProcess replica, String word, String id, long acknowledgedNanos) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<long[]> sentAt = new java.util.ArrayList<>();
            java.util.List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            while (true) {
                for (int i = 0; i < answers.size(); i++) {
                    if (answers.get(i).isDone() && answers.get(i).get()) {
                        // the earliest search that found it, among those answered so far
                        long first = sentAt.get(i)[0];
                        for (int j = 0; j < i; j++) if (!answers.get(j).isDone()) answers.get(j).cancel(true);
                        return Math.max(0, (first - acknowledgedNanos) / 1_000_000);
                    }
                }
                long now = System.nanoTime();
                long millis = (now - acknowledgedNanos) / 1_000_000;
                if (millis > PROPAGATION_MILLIS) {
                    boolean pending = answers.stream().anyMatch(f -> !f.isDone());
                    if (!pending) {
                        throw new AssertionError(replica + " does not find item " + id + " in any search sent within " + PROPAGATION_MILLIS
                                + " ms of its acknowledgement (" + answers.size() + " searches)");
                    }
                } else {
                    sentAt.add(new long[]{now});
                    answers.add(pool.submit(() -> found(replica, word, id)));
                }
                Thread.sleep(25);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static boolean found(ServiceProcess replica, String word, String id) {
        List<String> ids = RankerClient.itemIds(replica.client().rank("search", "u1", word, 5));
        return ids.contains(id);
    }

}
