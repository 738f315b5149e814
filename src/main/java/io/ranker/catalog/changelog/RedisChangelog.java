package io.ranker.catalog.changelog;

import io.ranker.config.RedisClientOptions;
import io.ranker.catalog.CatalogUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The catalog changelog in Redis: one stream (one key, so one hash slot on a Cluster) that every catalog write is
 * appended to and that every replica reads from start to end, plus a few small keys beside it. All keys share the
 * hash tag {@code {catalog}}, so they live on one node of a Cluster.
 * <pre>
 *   &lt;prefix&gt;:{catalog}:changelog        the stream (entries: {@link ChangelogEntry})
 *   &lt;prefix&gt;:{catalog}:meta             hash: epoch (the changelog's identity), dimension, similarity
 *   &lt;prefix&gt;:{catalog}:demo             the first-start demo marker (written once per cluster)
 *   &lt;prefix&gt;:{catalog}:snapshot-lock    which replica takes the scheduled snapshot
 * </pre>
 * Every call is blocking with a bound ({@code timeout}); a failure or timeout is a {@link CatalogUnavailableException}.
 * Appends are one Lua script per batch: atomic (all of a batch or none of it) and one round trip. Tail reads
 * ({@code XREAD BLOCK}) use a connection of their own so they never hold up the writes. The client speaks RESP2, so
 * replies have one shape on every server version.
 */
public final class RedisChangelog implements AutoCloseable {
    /** Appends ARGV = [n1, field, value, ... (n1 strings), n2, ...] as one entry each, in order; returns their ids. */
    static final String APPEND = """
            local ids = {}
            local i = 1
            while i <= #ARGV do
              local n = tonumber(ARGV[i])
              ids[#ids + 1] = redis.call('XADD', KEYS[1], '*', unpack(ARGV, i + 1, i + n))
              i = i + n + 1
            end
            return ids""";
    /** Creates the meta hash unless it exists; returns epoch, dimension, similarity. */
    static final String META = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'dimension', ARGV[2], 'similarity', ARGV[3], 'created', ARGV[4])
            end
            return redis.call('HMGET', KEYS[1], 'epoch', 'dimension', 'similarity')""";

    /** The changelog's identity and the catalog settings every replica following it must share. */
    public record Meta(String epoch, int dimension, String similarity) {
    }

    /**
     * The stream as {@code XINFO STREAM} describes it (Redis 7: {@code entries-added} counts every entry ever added).
     * {@link #EMPTY} before the first write.
     */
    public record Info(StreamId lastGenerated, long entriesAdded, long length, StreamId firstEntry) {
        public static final Info EMPTY = new Info(StreamId.ZERO, 0, 0, null);

        /** Entries trimmed from the front (the changelog never deletes single entries). */
        public long removed() { return entriesAdded - length; }

        /** Whether trimming removed entries after {@code p}: an index at {@code p} can no longer catch up from the stream. */
        public boolean trimmedPast(ChangelogPosition p) {
            return length > 0 && firstEntry != null && p.lastId().compareTo(firstEntry) < 0 && p.consumed() < removed();
        }
    }

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Redis client;
    private final Duration timeout;
    private final String stream;
    private final String prefix;
    private volatile RedisConnection tail;

    public RedisChangelog(Vertx vertx, List<String> hosts, boolean cluster, String keyPrefix, Duration timeout) {
        this(vertx, false, hosts, cluster, keyPrefix, timeout);
    }

    /** With its own Vert.x instance (commands, tests), closed with it. */
    public static RedisChangelog standalone(List<String> hosts, boolean cluster, String keyPrefix, Duration timeout) {
        return new RedisChangelog(Vertx.vertx(), true, hosts, cluster, keyPrefix, timeout);
    }

    private RedisChangelog(Vertx vertx, boolean ownsVertx, List<String> hosts, boolean cluster, String keyPrefix, Duration timeout) {
        if (hosts.isEmpty()) throw new IllegalArgumentException("no Redis hosts configured (quarkus.redis.hosts)");
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.timeout = timeout;
        this.prefix = keyPrefix + ":{catalog}:";
        this.stream = prefix + "changelog";
        RedisOptions options = RedisClientOptions.of(hosts, cluster, Math.max(4, hosts.size() * 2), 256, (int) Math.min(timeout.toMillis(), 5000))
                .setPreferredProtocolVersion(ProtocolVersion.RESP2);
        this.client = Redis.createClient(vertx, options);
    }

    /** The stream's key. */
    public String streamKey() { return stream; }

    /** A key beside the stream (same hash slot): {@code demo}, {@code snapshot-lock}, ... */
    public String key(String name) { return prefix + name; }

    /**
     * The changelog's meta data, created with a new epoch by the first caller (with this dimension and similarity);
     * later callers get what the first one wrote and must check that it matches their settings.
     */
    public Meta meta(int dimension, String similarity) {
        Response r = await(client.send(Request.cmd(Command.EVAL).arg(META).arg(1).arg(key("meta"))
                .arg(UUID.randomUUID().toString()).arg(dimension).arg(similarity).arg(System.currentTimeMillis())), timeout, "read the changelog's meta data");
        return new Meta(r.get(0).toString(), r.get(1).toInteger(), r.get(2).toString());
    }

    /** Appends the entries (each a field/value list) atomically and in order; returns their ids. */
    public List<StreamId> append(List<List<String>> entries) {
        if (entries.isEmpty()) return List.of();
        Request eval = Request.cmd(Command.EVAL).arg(APPEND).arg(1).arg(stream);
        long bytes = 0;
        for (List<String> fields : entries) {
            eval.arg(fields.size());
            for (String f : fields) {
                eval.arg(f);
                bytes += f.length();
            }
        }
        // a large batch takes longer to send and to append: one more timeout per 256 KB, so that a busy link or server
        // does not turn a 1 MB batch into a 503 while a one-item write still fails fast when Redis is down
        Duration bound = timeout.multipliedBy(1 + bytes / (256 * 1024));
        Response r = await(client.send(eval), bound, "append " + entries.size() + " entries to the catalog changelog");
        List<StreamId> ids = new ArrayList<>(r.size());
        for (Response id : r) ids.add(StreamId.parse(id.toString()));
        return ids;
    }

    /**
     * Up to {@code count} entries after {@code after}, waiting up to {@code block} for the first one (zero: no wait);
     * empty when none came.
     */
    public List<ChangelogEntry.Raw> read(StreamId after, int count, Duration block) {
        Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(count);
        if (!block.isZero()) xread.arg("BLOCK").arg(block.toMillis());
        xread.arg("STREAMS").arg(stream).arg(after.toString());
        Response r;
        try {
            r = await(tailConnection().compose(c -> c.send(xread)), timeout.plus(block), "read the catalog changelog");
        } catch (CatalogUnavailableException e) {
            dropTail(); // a timed-out blocking read leaves the connection unusable: reconnect next time
            throw e;
        }
        if (r == null || r.size() == 0) return List.of();
        Response entries = r.get(0).get(1);
        List<ChangelogEntry.Raw> out = new ArrayList<>(entries.size());
        for (Response e : entries) {
            Map<String, String> fields = new LinkedHashMap<>();
            Response kv = e.get(1);
            for (int i = 0; kv != null && i + 1 < kv.size(); i += 2) fields.put(kv.get(i).toString(), kv.get(i + 1).toString());
            out.add(new ChangelogEntry.Raw(StreamId.parse(e.get(0).toString()), fields));
        }
        return out;
    }

    private synchronized Future<RedisConnection> tailConnection() {
        RedisConnection c = tail;
        if (c != null) return Future.succeededFuture(c);
        return client.connect().onSuccess(conn -> {
            synchronized (this) {
                tail = conn;
            }
            conn.exceptionHandler(t -> dropTail());
            conn.endHandler(v -> dropTail());
        });
    }

    private synchronized void dropTail() {
        RedisConnection c = tail;
        tail = null;
        if (c != null) c.close();
    }

    /** The stream's head and counts ({@link Info#EMPTY} when it does not exist yet). */
    public Info info() {
        Response r;
        try {
            r = await(client.send(Request.cmd(Command.XINFO).arg("STREAM").arg(stream)), timeout, "read the catalog changelog's head");
        } catch (CatalogUnavailableException e) {
            if (e.getMessage().contains("no such key")) return Info.EMPTY;
            throw e;
        }
        Map<String, Response> f = new LinkedHashMap<>();
        for (int i = 0; i + 1 < r.size(); i += 2) f.put(r.get(i).toString(), r.get(i + 1));
        Response added = f.get("entries-added");
        if (added == null) {
            throw new IllegalStateException("the catalog changelog needs Redis 7.0 or newer (XINFO STREAM has no entries-added)");
        }
        Response first = f.get("first-entry");
        return new Info(StreamId.parse(f.get("last-generated-id").toString()), added.toLong(), f.get("length").toLong(),
                first == null || first.size() == 0 ? null : StreamId.parse(first.get(0).toString()));
    }

    /** {@code XTRIM MINID}: removes the entries before {@code minId}; returns how many. */
    public long trim(StreamId minId) {
        Response r = await(client.send(Request.cmd(Command.XTRIM).arg(stream).arg("MINID").arg(minId.toString())), timeout, "trim the catalog changelog");
        return r.toLong();
    }

    /** {@code SET key value NX PX ttl} (no expiry for a null ttl); whether it was set. */
    public boolean setIfAbsent(String key, String value, Duration ttl) {
        Request set = Request.cmd(Command.SET).arg(key).arg(value).arg("NX");
        if (ttl != null) set.arg("PX").arg(ttl.toMillis());
        return await(client.send(set), timeout, "set " + key) != null;
    }

    public void set(String key, String value) {
        await(client.send(Request.cmd(Command.SET).arg(key).arg(value)), timeout, "set " + key);
    }

    /** The value, or null. */
    public String get(String key) {
        Response r = await(client.send(Request.cmd(Command.GET).arg(key)), timeout, "read " + key);
        return r == null ? null : r.toString();
    }

    public void delete(String key) {
        await(client.send(Request.cmd(Command.DEL).arg(key)), timeout, "delete " + key);
    }

    private static Response await(Future<Response> f, Duration bound, String what) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CatalogUnavailableException("Redis did not answer within " + bound.toMillis() + " ms (" + what + ")");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new CatalogUnavailableException("Redis failed to " + what + ": " + c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogUnavailableException("interrupted while waiting for Redis to " + what);
        }
    }

    @Override
    public void close() {
        dropTail();
        client.close();
        if (ownsVertx) vertx.close();
    }
}
