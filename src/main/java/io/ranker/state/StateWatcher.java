package io.ranker.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Keeps this replica's in-memory state up to the shared store: on every change notice, and every
 * {@code ranking.state.redis.check-interval} in case a notice was missed, one HGETALL of the revision counters tells
 * which kinds changed (policies, models, switches), and only those are reloaded through their stage's own sync
 * (which prepares the new state fully, then swaps it in). Everything runs on one thread, so reloads never overlap.
 * The request path never waits for any of this. {@link #ready()} once every kind has been loaded once;
 * {@link #stalenessSeconds()} is how long ago the store last answered a check (it keeps growing while Redis is
 * unreachable, and the replica keeps serving what it loaded).
 */
public final class StateWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StateWatcher.class);

    /** One kind of state and how to reload it; the reload throws when the store cannot be read. */
    public record Kind(String name, Runnable sync, BooleanSupplier canSync) {
    }

    private final RedisStateClient redis;
    private final StateKeys keys;
    private final Duration interval;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private volatile long lastSuccessNanos;
    private final long startedNanos = System.nanoTime();
    private volatile String lastError;
    private volatile boolean failing;

    public StateWatcher(RedisStateClient redis, StateKeys keys, Duration interval) {
        this.redis = redis;
        this.keys = keys;
        this.interval = interval;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "state-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    public StateWatcher register(Kind kind) {
        kinds.put(kind.name(), kind);
        return this;
    }

    /** Subscribes to change notices and starts the periodic check (the first one at once). */
    public void start() {
        redis.subscribe(keys.changes(), kind -> requestCheck(), this::requestCheck);
        thread.scheduleWithFixedDelay(this::checkSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a check as soon as the watcher thread is free (coalesced: one queued check covers any number of notices). */
    public void requestCheck() {
        if (checkQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                checkQueued.set(false);
                checkSafely();
            });
        }
    }

    private void checkSafely() {
        try {
            check();
            lastSuccessNanos = System.nanoTime();
            if (failing) LOG.infof("state: the shared store answers again; in sync");
            failing = false;
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            if (!failing) LOG.warnf("state: cannot check the shared store (%s); serving the state loaded before", e.getMessage());
            failing = true;
        }
    }

    /** One HGETALL; reloads the kinds whose revision moved (or that never loaded). */
    void check() {
        Map<String, String> revisions = RedisStateClient.flatMap(redis.send(Request.cmd(Command.HGETALL).arg(keys.revisions())));
        RuntimeException failure = null;
        for (Kind k : kinds.values()) {
            long rev = revisions.containsKey(k.name()) ? Long.parseLong(revisions.get(k.name())) : 0;
            Long before = seen.get(k.name());
            if (before != null && before == rev && loaded.contains(k.name())) continue;
            if (!k.canSync().getAsBoolean()) continue;
            try {
                k.sync().run();
                seen.put(k.name(), rev);
                loaded.add(k.name());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) throw failure;
    }

    /** Every kind was loaded from the store at least once. */
    public boolean ready() {
        return loaded.containsAll(kinds.keySet());
    }

    /** Seconds since the store last answered a check (since start when it never has). */
    public double stalenessSeconds() {
        long last = lastSuccessNanos;
        return (System.nanoTime() - (last == 0 ? startedNanos : last)) / 1e9;
    }

    public String lastError() {
        return lastError;
    }

    public Map<String, Long> revisions() {
        return Map.copyOf(seen);
    }

    public Set<String> loadedKinds() {
        return Set.copyOf(loaded);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
