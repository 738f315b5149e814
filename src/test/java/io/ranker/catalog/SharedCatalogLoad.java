package io.ranker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ranker.testing.RankerClient;
import io.ranker.testing.RedisServerHarness;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Catalog load for the multi-replica tests: {@code clients} threads write upserts (JSON arrays and NDJSON of 1-50 items
 * with vectors; a tenth of them updates of items written before) and deletes (of items written before, each once)
 * to random replicas, while one thread ranks on random replicas; then the checks that the replicas converged.
 */
final class SharedCatalogLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the load did; {@code expectedItemsAdded} = new ids - deleted ids. */
    record Result(int upserted, int deleted, int expectedItemsAdded, long ranked, long rankFailures, long millis, List<String> failures) {
        @Override
        public String toString() {
            return String.format("%d upserts and %d deletes from %s in %.1f s (%.0f writes/s); %d ranking requests, %d failed", upserted, deleted,
                    "the clients", millis / 1000.0, (upserted + deleted) * 1000.0 / Math.max(1, millis), ranked, rankFailures);
        }
    }

    private final List<ServiceProcess> replicas;
    private final int clients;
    private final int dimension;
    private final long seed;

    SharedCatalogLoad(List<ServiceProcess> replicas, int clients, int dimension, long seed) {
        this.replicas = replicas;
        this.clients = clients;
        this.dimension = dimension;
        this.seed = seed;
    }

    Result run(int upserts, int deletes) throws InterruptedException {
        AtomicInteger upsertsLeft = new AtomicInteger(upserts), deletesLeft = new AtomicInteger(deletes);
        AtomicInteger newIds = new AtomicInteger(), deleted = new AtomicInteger(), upserted = new AtomicInteger();
        // written ids: even ones may be updated, odd ones may be deleted (never both: the expected count stays exact)
        List<String> updatable = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<String> deletable = new ConcurrentLinkedQueue<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong ranked = new AtomicLong(), rankFailures = new AtomicLong();
        long t0 = System.nanoTime();
        Thread ranking = new Thread(() -> {
            Random r = new Random(seed);
            String[] queries = {"running shoes", "green tea", "desk lamp", "load item", null};
            while (writing.get()) {
                ServiceProcess via = replicas.get(r.nextInt(replicas.size()));
                try {
                    String q = queries[r.nextInt(queries.length)];
                    via.client().rank(q == null ? "feed" : "search", "u" + r.nextInt(1000), q, 10);
                    ranked.incrementAndGet();
                } catch (RuntimeException | AssertionError e) {
                    rankFailures.incrementAndGet();
                    failures.add("rank on " + via + ": " + e.getMessage());
                }
            }
        }, "load-ranking");
        ranking.start();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                Random r = new Random(seed * 31 + client);
                while (upsertsLeft.get() > 0 || deletesLeft.get() > 0) {
                    ServiceProcess via = replicas.get(r.nextInt(replicas.size()));
                    boolean delete = deletesLeft.get() > 0 && !deletable.isEmpty()
                            && (upsertsLeft.get() <= 0 || r.nextDouble() < 0.5);
                    try {
                        if (delete) {
                            if (deletesLeft.getAndDecrement() <= 0) {
                                deletesLeft.incrementAndGet();
                                continue;
                            }
                            String id = deletable.poll();
                            if (id == null) {
                                deletesLeft.incrementAndGet();
                                continue;
                            }
                            int status = via.client().deleteItem(id).status();
                            if (status != 204 && status != 202) failures.add("DELETE " + id + " on " + via + ": " + status);
                            deleted.incrementAndGet();
                        } else {
                            // reserve up to 50 of the remaining upserts, give back what this batch does not use
                            int n = Math.min(1 + r.nextInt(50), Math.max(0, upsertsLeft.getAndAdd(-50)));
                            upsertsLeft.addAndGet(50 - n);
                            if (n <= 0) {
                                if (deletable.isEmpty() && upsertsLeft.get() <= 0) break; // nothing left to delete
                                continue;
                            }
                            List<ObjectNode> items = new ArrayList<>(n);
                            List<String> fresh = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                boolean update = !updatable.isEmpty() && r.nextInt(10) == 0;
                                String id = update ? updatable.get(r.nextInt(updatable.size())) : "load-" + client + "-" + newIds.incrementAndGet();
                                if (!update) fresh.add(id);
                                items.add(item(id, r));
                            }
                            boolean ndjson = r.nextBoolean();
                            RankerClient.Response resp = ndjson
                                    ? via.client().put("/v1/items", lines(items), "application/x-ndjson", true)
                                    : via.client().putItems(array(items));
                            if (resp.status() != 200 || resp.json().path("accepted").asInt() != n) {
                                failures.add("PUT on " + via + ": " + resp.status() + " " + resp.body());
                                continue;
                            }
                            upserted.addAndGet(n);
                            for (String id : fresh) {
                                if (id.hashCode() % 2 == 0) updatable.add(id);
                                else deletable.add(id);
                            }
                        }
                    } catch (RuntimeException | AssertionError e) {
                        failures.add(via + ": " + e.getMessage());
                    }
                }
            }, "load-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        writing.set(false);
        ranking.join();
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " load requests failed, e.g. " + failures.subList(0, Math.min(5, failures.size())));
        }
        // acknowledged new ids, less the deleted ones (polled from deletable)
        int added = updatable.size() + deletable.size();
        return new Result(upserted.get(), deleted.get(), added, ranked.get(), rankFailures.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), failures);
    }

    private ObjectNode item(String id, Random r) {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("title", "load item " + id + " v" + r.nextInt(1000))
                .put("text", "generated by the shared catalog load");
        n.putObject("attributes").put("brand", "brand" + r.nextInt(20)).put("price", r.nextInt(10_000) / 100.0).put("in_stock", r.nextBoolean())
                .put("category", "cat" + r.nextInt(10));
        ArrayNode v = n.putArray("vector");
        for (int i = 0; i < dimension; i++) v.add((float) r.nextGaussian());
        return n;
    }

    private static String array(List<ObjectNode> items) {
        ArrayNode a = JSON.createArrayNode();
        items.forEach(a::add);
        return a.toString();
    }

    private static String lines(List<ObjectNode> items) {
        StringBuilder b = new StringBuilder();
        for (ObjectNode i : items) b.append(i).append('\n');
        return b.toString();
    }

    /** {@code n} items {@code <prefix>-0..n-1} as NDJSON. */
    static String ndjson(String prefix, int n, int dimension, long seed) {
        SharedCatalogLoad gen = new SharedCatalogLoad(List.of(), 0, dimension, seed);
        Random r = new Random(seed);
        List<ObjectNode> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) items.add(gen.item(prefix + "-" + i, r));
        return lines(items);
    }

    /**
     * Waits until every replica has applied the whole changelog (the same position, at the head, no lag) and then
     * until their digests agree; returns each replica's digest.
     */
    static Map<String, JsonNode> awaitConverged(List<ServiceProcess> replicas, int timeoutSeconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Map<String, JsonNode> status = new LinkedHashMap<>();
            for (ServiceProcess r : replicas) status.put(r.replicaId(), r.client().get("/v1/catalog/changelog").expect(200).json());
            boolean atHead = status.values().stream().allMatch(s -> s.path("lagEntries").asLong() == 0
                    && s.path("appliedId").asText().equals(s.path("headId").asText()));
            boolean samePosition = status.values().stream().map(s -> s.path("appliedId").asText()).distinct().count() == 1;
            if (atHead && samePosition) {
                Map<String, JsonNode> digests = new LinkedHashMap<>();
                for (ServiceProcess r : replicas) digests.put(r.replicaId(), r.client().get("/v1/catalog/digest").expect(200).json());
                boolean same = digests.values().stream().map(d -> d.path("digest").asText() + d.path("items").asInt()).distinct().count() == 1;
                if (same) {
                    System.out.printf("SharedCatalogIT: converged: %s%n", digests);
                    return digests;
                }
                last = "same position, different digests: " + digests;
            } else {
                last = "not at the head yet: " + status;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replicas did not converge within " + timeoutSeconds + " s; last: " + last);
    }

    /** {@code index snapshot --to dir} with the packaged jar against the cluster's Redis; fails unless it exits 0. */
    static void runSnapshotCommand(ServiceCluster cluster, Path dir) throws Exception {
        Path jar = cluster.projectDir().resolve("target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "index", "snapshot", "--to", dir.toString(), "--redis", cluster.redis().hosts(), "--keep", "2")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("RANKING_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        System.out.printf("SharedCatalogIT: index snapshot: %s%n", out.strip());
        if (p.exitValue() != 0) throw new AssertionError("index snapshot exited " + p.exitValue() + ": " + out);
    }

    /** {@code entries-added} of the changelog stream, from redis-cli. */
    static String entriesAdded(RedisServerHarness redis) {
        String[] lines = redis.cli("XINFO", "STREAM", "ranker:{catalog}:changelog").split("\n");
        for (int i = 0; i + 1 < lines.length; i++) if (lines[i].trim().equals("entries-added")) return lines[i + 1].trim();
        throw new AssertionError("no entries-added in XINFO STREAM");
    }
}
