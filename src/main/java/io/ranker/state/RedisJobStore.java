package io.ranker.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.replay.JobStore;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Replay jobs in Redis, readable from every replica: each job's view is one value ({@code <prefix>:job:{id}}), kept
 * for {@code ranking.replay.result-ttl} once finished; an index (sorted by creation time) lists the recent ones. The
 * replica running a job refreshes its "alive" key ({@link #ALIVE}, with a {@value #HEARTBEAT_SECONDS} s heartbeat);
 * when that replica dies the key expires and every reader reports the job failed.
 */
public final class RedisJobStore implements JobStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisJobStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration ALIVE = Duration.ofSeconds(15);
    static final int HEARTBEAT_SECONDS = 5;
    private static final int INDEX_CAP = 1000;

    private final RedisStateClient redis;
    private final StateKeys keys;
    private final Duration resultTtl;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat;

    public RedisJobStore(RedisStateClient redis, StateKeys keys, Duration resultTtl) {
        this.redis = redis;
        this.keys = keys;
        this.resultTtl = resultTtl;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replay-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void save(String id, Map<String, Object> view) {
        String json;
        try {
            json = JSON.writeValueAsString(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean finished = "done".equals(view.get("status")) || "failed".equals(view.get("status"))
                || "cancelled".equals(view.get("status"));
        // a job that never finishes (its replica died and nobody read it) still goes away eventually
        redis.send(Request.cmd(Command.SET).arg(keys.job(id)).arg(json).arg("PX").arg(resultTtl.toMillis()));
        if (!finished) {
            redis.send(Request.cmd(Command.ZADD).arg(keys.jobIndex()).arg("NX").arg(System.currentTimeMillis()).arg(id));
            redis.send(Request.cmd(Command.ZREMRANGEBYRANK).arg(keys.jobIndex()).arg(0).arg(-INDEX_CAP - 1));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Stored> load(String id) {
        // the job and its alive key share a hash tag: one MGET, on a cluster too
        Response r = redis.send(Request.cmd(Command.MGET).arg(keys.job(id)).arg(keys.jobAlive(id)));
        if (r == null || r.get(0) == null) return Optional.empty();
        try {
            return Optional.of(new Stored(JSON.readValue(r.get(0).toString(), Map.class), r.get(1) != null));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable replay job " + id, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> recent(int max) {
        List<String> ids = RedisStateClient.strings(redis.send(Request.cmd(Command.ZREVRANGE).arg(keys.jobIndex()).arg(0).arg(max - 1)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            Optional<Stored> s = load(id);
            if (s.isEmpty()) {
                redis.send(Request.cmd(Command.ZREM).arg(keys.jobIndex()).arg(id)); // its result expired
                continue;
            }
            Map<String, Object> v = s.get().view();
            v.remove("result");
            out.add(v);
        }
        return out;
    }

    @Override
    public boolean delete(String id) {
        Response r = redis.send(Request.cmd(Command.DEL).arg(keys.job(id)));
        redis.send(Request.cmd(Command.ZREM).arg(keys.jobIndex()).arg(id));
        return r != null && r.toLong() > 0;
    }

    @Override
    public void running(String id, boolean on) {
        if (on) {
            running.add(id);
            redis.send(Request.cmd(Command.SET).arg(keys.jobAlive(id)).arg("1").arg("PX").arg(ALIVE.toMillis()));
        } else {
            running.remove(id);
            try {
                redis.send(Request.cmd(Command.DEL).arg(keys.jobAlive(id)));
            } catch (RuntimeException e) {
                // it expires by itself
            }
        }
    }

    private void beat() {
        for (String id : running) {
            try {
                redis.send(Request.cmd(Command.SET).arg(keys.jobAlive(id)).arg("1").arg("PX").arg(ALIVE.toMillis()));
            } catch (RuntimeException e) {
                LOG.debugf("replay heartbeat of %s failed: %s", id, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
