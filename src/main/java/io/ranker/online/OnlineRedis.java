package io.ranker.online;

import io.ranker.config.RedisClientOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection of the shared online state (feedback dedupe, served impressions, exposure counts) to Redis, standalone
 * or Cluster: one long-lived pipelined connection (as the feature store's), re-opened after a failure. Commands on the
 * request path are awaited at most a budget; writes that the request does not need are sent and not awaited. Every
 * operation is timed and its failures counted per {@code op} ({@code ranker.shared.state.*}), so the request-path cost
 * of the shared state is visible in production too.
 */
public final class OnlineRedis implements AutoCloseable {
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Redis client;
    private final String prefix;
    private final MeterRegistry registry;
    private static final long RECONNECT_BACKOFF_NANOS = 500_000_000L;
    private final AtomicReference<Future<RedisConnection>> connection = new AtomicReference<>();
    private volatile long failedAt;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    /**
     * @param hosts  redis://host:port URIs ({@code quarkus.redis.hosts}); on a Cluster any masters
     * @param prefix the key prefix replicas share ({@code ranking.state.redis.key-prefix})
     */
    public OnlineRedis(Vertx vertx, List<String> hosts, boolean cluster, String prefix, MeterRegistry registry) {
        this(vertx, false, hosts, cluster, prefix, registry);
    }

    /** With its own Vert.x instance (tests, benchmarks), closed with it. */
    public static OnlineRedis standalone(List<String> hosts, boolean cluster, String prefix, MeterRegistry registry) {
        return new OnlineRedis(Vertx.vertx(), true, hosts, cluster, prefix, registry);
    }

    private OnlineRedis(Vertx vertx, boolean ownsVertx, List<String> hosts, boolean cluster, String prefix, MeterRegistry registry) {
        if (hosts.isEmpty()) throw new IllegalArgumentException("no Redis hosts configured (quarkus.redis.hosts)");
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.prefix = prefix;
        this.registry = registry;
        RedisOptions options = RedisClientOptions.of(hosts, cluster, Math.max(2, hosts.size() * 2), 64, 1000);
        this.client = Redis.createClient(vertx, options);
    }

    /** {@code <prefix>:<part>:<part>...} */
    public String key(String... parts) {
        StringBuilder b = new StringBuilder(prefix);
        for (String p : parts) b.append(':').append(p);
        return b.toString();
    }

    /** Sends one command; the future fails when Redis does. */
    public CompletableFuture<Response> send(String op, Request request) {
        long t0 = System.nanoTime();
        return record(op, t0, connection().compose(c -> {
            if (c.pendingQueueFull()) return Future.failedFuture("redis pipeline full (server slow or paused)");
            return c.send(request);
        }).toCompletionStage().toCompletableFuture());
    }

    /** Sends commands in one round trip (on a Cluster they must all be on one slot, e.g. one key). */
    public CompletableFuture<List<Response>> batch(String op, List<Request> requests) {
        long t0 = System.nanoTime();
        return record(op, t0, connection().compose(c -> {
            if (c.pendingQueueFull()) return Future.failedFuture("redis pipeline full (server slow or paused)");
            return c.batch(requests);
        }).toCompletionStage().toCompletableFuture());
    }

    /**
     * Waits for a reply at most {@code budgetMillis}.
     *
     * @return the reply, or null when Redis failed or did not answer in time (counted as a failure of {@code op})
     */
    public <T> T await(String op, CompletableFuture<T> reply, long budgetMillis) {
        try {
            return reply.get(budgetMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(op);
            return null;
        } catch (Exception e) {
            failed(op);
            return null;
        }
    }

    /** Counts a failure of {@code op} (Redis down, slow beyond the budget, or refusing). */
    public void failed(String op) {
        failures.computeIfAbsent(op, k -> registry.counter("ranker.shared.state.failures", "op", k)).increment();
    }

    public double failures(String op) {
        Counter c = failures.get(op);
        return c == null ? 0 : c.count();
    }

    private <T> CompletableFuture<T> record(String op, long t0, CompletableFuture<T> f) {
        Timer t = timers.computeIfAbsent(op, k -> Timer.builder("ranker.shared.state.requests").tag("op", k)
                .description("Round trips of the shared online state to Redis").register(registry));
        return f.whenComplete((r, e) -> {
            if (e == null) t.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        });
    }

    private Future<RedisConnection> connection() {
        Future<RedisConnection> current = connection.get();
        if (current != null && !current.failed()) return current;
        // Redis down: one connection attempt per back-off period, the requests meanwhile fail at once
        if (current != null && System.nanoTime() - failedAt < RECONNECT_BACKOFF_NANOS) return current;
        Future<RedisConnection> fresh = client.connect().onSuccess(c -> {
            c.exceptionHandler(t -> dropConnection(c));
            c.endHandler(v -> dropConnection(c));
        }).onFailure(t -> failedAt = System.nanoTime());
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

    /** Parses {@code quarkus.redis.hosts}: comma-separated URIs or host:port pairs. */
    public static List<String> parseHosts(String csv) {
        List<String> out = new ArrayList<>();
        for (String h : csv.split(",")) {
            if (!h.isBlank()) out.add(h.trim().contains("://") ? h.trim() : "redis://" + h.trim());
        }
        return out;
    }

    @Override
    public void close() {
        Future<RedisConnection> c = connection.getAndSet(null);
        if (c != null) c.onSuccess(RedisConnection::close);
        client.close();
        if (ownsVertx) vertx.close();
    }
}
