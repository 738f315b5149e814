package io.ranker.features;

import io.ranker.config.RedisClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Features in Redis (standalone or cluster) through the Vert.x Redis client, so it works with or without CDI.
 * Holds one long-lived connection (on a cluster: one per master, managed by the client) and pipelines every
 * command on it. Reads are one MGET on a single node, or one MGET per hash-slot group on a cluster, all sent
 * before any answer is awaited: one round trip. Slots are computed here ({@link Crc16#slot}) rather than left
 * to the client, so the grouping is explicit and testable. A broken connection is dropped and re-opened by the
 * next call; a hung one (SIGSTOP) is the circuit breaker's business (see {@link StoreFeatureHydrator}).
 */
public final class RedisFeatureStore implements FeatureStore {
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Redis client;
    private final boolean cluster;
    private final FeatureKeys keys;
    private final AtomicReference<Future<RedisConnection>> connection = new AtomicReference<>();

    /**
     * @param hosts   redis://host:port URIs (Quarkus' {@code quarkus.redis.hosts} format); on a cluster any masters
     * @param cluster whether the hosts are a Redis Cluster
     */
    public RedisFeatureStore(Vertx vertx, List<String> hosts, boolean cluster, FeatureKeys keys) {
        this(vertx, false, hosts, cluster, keys);
    }

    /** A store with its own Vert.x instance (commands, tests), closed with the store. */
    public static RedisFeatureStore standalone(List<String> hosts, boolean cluster, FeatureKeys keys) {
        return new RedisFeatureStore(Vertx.vertx(), true, hosts, cluster, keys);
    }

    private RedisFeatureStore(Vertx vertx, boolean ownsVertx, List<String> hosts, boolean cluster, FeatureKeys keys) {
        if (hosts.isEmpty()) throw new IllegalArgumentException("no Redis hosts configured (quarkus.redis.hosts)");
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.cluster = cluster;
        this.keys = keys;
        RedisOptions options = RedisClientOptions.of(hosts, cluster, Math.max(2, hosts.size() * 2), 64, 1000);
        this.client = Redis.createClient(vertx, options);
    }

    /** Parses {@code quarkus.redis.hosts}: comma-separated URIs or host:port pairs. */
    public static List<String> parseHosts(String csv) {
        List<String> out = new ArrayList<>();
        for (String h : csv.split(",")) {
            if (!h.isBlank()) out.add(h.trim().contains("://") ? h.trim() : "redis://" + h.trim());
        }
        return out;
    }

    @Override
    public String kind() { return "redis"; }

    @Override
    public FeatureKeys keys() { return keys; }

    public boolean isCluster() { return cluster; }

    private Future<RedisConnection> connection() {
        Future<RedisConnection> current = connection.get();
        if (current != null && !current.failed()) return current;
        Future<RedisConnection> fresh = client.connect().onSuccess(c -> {
            c.exceptionHandler(t -> dropConnection(c));
            c.endHandler(v -> dropConnection(c));
        });
        // another thread may have won the race: use its connection and let ours be closed
        if (!connection.compareAndSet(current, fresh)) {
            fresh.onSuccess(RedisConnection::close);
            return connection.get();
        }
        return fresh;
    }

    private void dropConnection(RedisConnection c) {
        Future<RedisConnection> current = connection.get();
        if (current != null && current.succeeded() && current.result() == c) {
            connection.compareAndSet(current, null);
            c.close();
        }
    }

    private Future<Response> send(Request request) {
        return connection().compose(c -> {
            if (c.pendingQueueFull()) return Future.failedFuture("redis pipeline full (server slow or paused)");
            return c.send(request);
        });
    }

    @Override
    public CompletableFuture<byte[][]> get(List<String> keyList) {
        byte[][] out = new byte[keyList.size()][];
        if (keyList.isEmpty()) return CompletableFuture.completedFuture(out);
        if (!cluster) {
            Request mget = Request.cmd(Command.MGET);
            for (String k : keyList) mget.arg(k);
            return send(mget).map(r -> {
                copyInto(r, out, null);
                return out;
            }).toCompletionStage().toCompletableFuture();
        }
        Map<Integer, List<Integer>> bySlot = groupBySlot(keyList);
        List<Future<?>> sent = new ArrayList<>(bySlot.size());
        for (List<Integer> idx : bySlot.values()) {
            Request mget = Request.cmd(Command.MGET);
            for (int i : idx) mget.arg(keyList.get(i));
            sent.add(send(mget).map(r -> {
                copyInto(r, out, idx);
                return null;
            }));
        }
        return Future.all(sent).map(cf -> out).toCompletionStage().toCompletableFuture();
    }

    private static void copyInto(Response r, byte[][] out, List<Integer> idx) {
        for (int j = 0; j < r.size(); j++) {
            Response v = r.get(j);
            out[idx == null ? j : idx.get(j)] = v == null ? null : v.toBytes();
        }
    }

    /** Key positions grouped by Redis Cluster slot, in first-seen order. */
    static Map<Integer, List<Integer>> groupBySlot(List<String> keyList) {
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < keyList.size(); i++) {
            bySlot.computeIfAbsent(Crc16.slot(keyList.get(i)), s -> new ArrayList<>()).add(i);
        }
        return bySlot;
    }

    @Override
    public CompletableFuture<Void> put(Map<String, byte[]> values) {
        if (values.isEmpty()) return CompletableFuture.completedFuture(null);
        List<String> keyList = new ArrayList<>(values.keySet());
        List<Future<?>> sent = new ArrayList<>();
        Iterable<List<Integer>> groups = cluster ? groupBySlot(keyList).values() : List.of(range(keyList.size()));
        for (List<Integer> group : groups) {
            // bounded MSETs so one huge batch does not block the server for long
            for (int from = 0; from < group.size(); from += 500) {
                Request mset = Request.cmd(Command.MSET);
                for (int i : group.subList(from, Math.min(group.size(), from + 500))) {
                    String k = keyList.get(i);
                    mset.arg(k).arg(values.get(k));
                }
                sent.add(send(mset));
            }
        }
        return Future.all(sent).<Void>mapEmpty().toCompletionStage().toCompletableFuture();
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) r.add(i);
        return r;
    }

    @Override
    public CompletableFuture<Void> addCounts(List<CounterDelta> deltas, long nowMillis, double halfLifeMillis) {
        List<Future<?>> sent = new ArrayList<>(deltas.size());
        long ttl = FeatureStore.counterTtlMillis(halfLifeMillis);
        for (CounterDelta d : deltas) {
            sent.add(send(Request.cmd(Command.EVAL).arg(CounterCodec.UPDATE_SCRIPT).arg(1).arg(keys.counters(d.itemId()))
                    .arg(nowMillis).arg(halfLifeMillis).arg(d.impressions()).arg(d.clicks()).arg(ttl)));
        }
        return Future.all(sent).<Void>mapEmpty().toCompletionStage().toCompletableFuture();
    }

    @Override
    public CompletableFuture<Void> ping() {
        return send(Request.cmd(Command.PING)).<Void>mapEmpty().toCompletionStage().toCompletableFuture();
    }

    /**
     * A plain MGET of the given keys on the same connection, returning the raw replies: the baseline that
     * {@link #get} is benchmarked against (single node only).
     */
    public CompletableFuture<Response> rawMget(List<String> keyList) {
        Request mget = Request.cmd(Command.MGET);
        for (String k : keyList) mget.arg(k);
        return send(mget).toCompletionStage().toCompletableFuture();
    }

    /** Any single-key command on the shared connection (pipelined like the rest), e.g. the seen-items sorted sets. */
    public CompletableFuture<Response> command(Request request) {
        return send(request).toCompletionStage().toCompletableFuture();
    }

    /** Deletes everything on the server (tests only; on a cluster only the node the client picks). */
    public CompletableFuture<Void> flushAll() {
        return send(Request.cmd(Command.FLUSHALL)).<Void>mapEmpty().toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        Future<RedisConnection> c = connection.getAndSet(null);
        if (c != null) c.onSuccess(RedisConnection::close);
        client.close();
        if (ownsVertx) vertx.close();
    }
}
