package io.ranker.state;

import io.ranker.config.RedisClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The shared state's connection to Redis (standalone or Cluster) through the Vert.x Redis client, with blocking
 * calls bounded by a timeout for the threads that change or reload state (admin requests, the state watcher; never
 * a ranking request). Any failure or timeout is a {@link StateUnavailableException}. Lua scripts are sent by SHA
 * and loaded on a node that does not know them yet. Change notices use a dedicated subscriber connection to one
 * node (on a Cluster, PUBLISH reaches every node), re-opened after a failure.
 */
public final class RedisStateClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisStateClient.class);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final List<String> hosts;
    private final boolean cluster;
    private final Duration timeout;
    private final Redis client;
    private volatile boolean closed;
    private volatile RedisConnection subscriber;
    /** One standalone client per host, for the subscriber connection (tried in turn after failures). */
    private final Map<String, Redis> subscriberClients = new java.util.concurrent.ConcurrentHashMap<>();

    /** A Lua script and its SHA-1, sent with EVALSHA. */
    public record Script(String source, String sha) {
        public static Script of(String source) {
            try {
                return new Script(source, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8))));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public RedisStateClient(Vertx vertx, List<String> hosts, boolean cluster, Duration timeout) {
        this(vertx, false, hosts, cluster, timeout);
    }

    /** A client with its own Vert.x instance (commands, tests), closed with the client. */
    public static RedisStateClient standalone(List<String> hosts, boolean cluster, Duration timeout) {
        return new RedisStateClient(Vertx.vertx(), true, hosts, cluster, timeout);
    }

    private RedisStateClient(Vertx vertx, boolean ownsVertx, List<String> hosts, boolean cluster, Duration timeout) {
        if (hosts.isEmpty()) throw new IllegalArgumentException("no Redis hosts configured (quarkus.redis.hosts)");
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.hosts = List.copyOf(hosts);
        this.cluster = cluster;
        this.timeout = timeout;
        this.client = Redis.createClient(vertx, options(cluster ? RedisClientType.CLUSTER : RedisClientType.STANDALONE, this.hosts)
                .setPoolName("ranker-state"));
    }

    private static RedisOptions options(RedisClientType type, List<String> hosts) {
        // RESP2: flat replies whatever the server offers, and a plain subscriber connection
        return RedisClientOptions.of(hosts, type == RedisClientType.CLUSTER, 8, 256, 1000)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    }

    public boolean isCluster() { return cluster; }

    public List<String> hosts() { return hosts; }

    public Duration timeout() { return timeout; }

    /** Sends one command and waits for its answer (at most the timeout). */
    public Response send(Request request) {
        return await(client.send(request), request);
    }

    /** Runs a script (EVALSHA, or EVAL when the node does not have it yet). */
    public Response eval(Script script, List<String> keys, List<String> args) {
        try {
            return send(evalRequest(Command.EVALSHA, script.sha(), keys, args));
        } catch (StateUnavailableException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) throw e;
            return send(evalRequest(Command.EVAL, script.source(), keys, args));
        }
    }

    private static Request evalRequest(Command cmd, String scriptOrSha, List<String> keys, List<String> args) {
        Request r = Request.cmd(cmd).arg(scriptOrSha).arg(keys.size());
        for (String k : keys) r.arg(k);
        for (String a : args) r.arg(a);
        return r;
    }

    public void publish(String channel, String message) {
        send(Request.cmd(Command.PUBLISH).arg(channel).arg(message));
    }

    /** PUBLISH without waiting for the answer; {@code onFailure} gets any error. */
    public void publishAsync(String channel, String message, Consumer<Throwable> onFailure) {
        if (closed) return;
        client.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).onFailure(onFailure::accept);
    }

    private Response await(Future<Response> f, Request request) {
        if (closed) throw new StateUnavailableException("the shared state client is closed");
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StateUnavailableException("Redis did not answer " + name(request) + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new StateUnavailableException("Redis failed " + name(request) + ": " + c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while waiting for Redis");
        }
    }

    private static String name(Request r) {
        return r.command().toString();
    }

    /**
     * Subscribes to a channel; {@code onMessage} runs on a Vert.x event loop thread (hand work off). The
     * subscription is re-opened after a failure, every second, for as long as the client is open;
     * {@code onResubscribed} runs after each re-subscription (notices may have been missed meanwhile).
     */
    public synchronized void subscribe(String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        connectSubscriber(channel, onMessage, onResubscribed, 0, false);
    }

    private void connectSubscriber(String channel, Consumer<String> onMessage, Runnable onResubscribed, int attempt, boolean again) {
        if (closed) return;
        // a standalone connection to one node (a subscribed connection cannot serve other commands)
        String host = hosts.get(attempt % hosts.size());
        Redis target = subscriberClients.computeIfAbsent(host,
                h -> Redis.createClient(vertx, options(RedisClientType.STANDALONE, List.of(h)).setPoolName("ranker-state-notices-" + h)));
        target.connect().onSuccess(conn -> {
            if (closed) {
                conn.close();
                return;
            }
            Runnable retry = () -> {
                if (subscriber == conn) subscriber = null;
                conn.close();
                if (!closed) vertx.setTimer(1000, t -> connectSubscriber(channel, onMessage, onResubscribed, attempt + 1, true));
            };
            conn.handler(msg -> {
                String payload = messagePayload(msg);
                if (payload != null) onMessage.accept(payload);
            });
            conn.exceptionHandler(t -> {
                LOG.debugf("state: subscriber connection failed: %s", t.toString());
                retry.run();
            });
            conn.endHandler(v -> retry.run());
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onSuccess(r -> {
                subscriber = conn;
                if (again) {
                    LOG.infof("state: re-subscribed to %s", channel);
                    onResubscribed.run();
                }
            }).onFailure(t -> retry.run());
        }).onFailure(t -> {
            if (!closed) vertx.setTimer(1000, x -> connectSubscriber(channel, onMessage, onResubscribed, attempt + 1, true));
        });
    }

    /** The payload of a pub/sub "message" push, or null for anything else (subscribe confirmations). */
    static String messagePayload(Response msg) {
        if (msg == null || msg.size() != 3) return null;
        Response kind = msg.get(0);
        if (kind == null || !"message".equals(kind.toString())) return null;
        Response payload = msg.get(2);
        return payload == null ? null : payload.toString();
    }

    /** Reads a flat RESP2 field/value array (HGETALL) into a map, in reply order. */
    public static Map<String, String> flatMap(Response r) {
        Map<String, String> out = new LinkedHashMap<>();
        if (r == null) return out;
        for (int i = 0; i + 1 < r.size(); i += 2) {
            Response v = r.get(i + 1);
            out.put(r.get(i).toString(), v == null ? null : v.toString());
        }
        return out;
    }

    /** Reads an array of bulk strings; nulls stay null. */
    public static List<String> strings(Response r) {
        List<String> out = new ArrayList<>();
        if (r == null) return out;
        for (int i = 0; i < r.size(); i++) {
            Response v = r.get(i);
            out.add(v == null ? null : v.toString());
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        RedisConnection s = subscriber;
        if (s != null) s.close();
        subscriberClients.values().forEach(Redis::close);
        client.close();
        if (ownsVertx) vertx.close();
    }
}
