package io.ranker.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The hydrator's way to the feature store: the hot cache first, then one batched store read for the keys it
 * does not hold, awaited until a deadline; when the store fails or misses the deadline, values the cache still
 * holds (even stale), and a circuit breaker that stops asking a failing store and probes it in the background.
 * A read never throws for a store problem: it says what went wrong. Thread-safe; one per hydrator, living as
 * long as the deployment.
 */
final class StoreReader {
    private final FeatureStore store;
    private final CircuitBreaker breaker;
    private final HotFeatureCache cache;
    private final long breakerOpenMillis;

    StoreReader(FeatureStore store, StoreFeatureHydrator.Settings settings, LongSupplier clockMillis) {
        this.store = store;
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerOpenMillis(), clockMillis);
        this.cache = new HotFeatureCache(settings.cacheTtlMillis() > 0 ? settings.cacheMaxEntries() : 0,
                settings.cacheTtlMillis(), settings.cacheStaleMillis());
        this.breakerOpenMillis = settings.breakerOpenMillis();
    }

    FeatureStore store() { return store; }

    CircuitBreaker breaker() { return breaker; }

    HotFeatureCache cache() { return cache; }

    /** Values this replica has just written: the cache takes them, so the next read here sees them. */
    void written(Map<String, byte[]> values, long now) {
        values.forEach((key, value) -> cache.put(key, value, now));
    }

    /**
     * One batched read of one request: per key, whether its value is known and the value (null: the store has
     * none). {@link #source} and {@link #problem} are set by {@link #finish}.
     */
    static final class Batch {
        final List<String> keys;
        final byte[][] values;
        final boolean[] known;
        private final List<Integer> missing = new ArrayList<>();
        private CompletableFuture<byte[][]> reply;
        private String problem;
        private String source;

        private Batch(List<String> keys) {
            this.keys = keys;
            this.values = new byte[keys.size()][];
            this.known = new boolean[keys.size()];
        }

        /** Where the values came from: "store", "cache" or "none". */
        String source() { return source; }

        /** Why the store did not answer ("timeout", "unavailable", "circuit-open", "event-loop", "interrupted"), or null. */
        String problem() { return problem; }
    }

    /** Fills values from the hot cache and sends one store read for the rest, not awaited. Never throws. */
    Batch start(List<String> keys, long now) {
        Batch b = new Batch(keys);
        for (int i = 0; i < keys.size(); i++) {
            byte[] v = cache.fresh(keys.get(i), now);
            if (v != null) {
                b.values[i] = v == HotFeatureCache.ABSENT ? null : v;
                b.known[i] = true;
            } else {
                b.missing.add(i);
            }
        }
        if (b.missing.isEmpty()) return b;
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // blocking here would stall the very thread that completes the Redis reply: never wait on an event loop
            b.problem = "event-loop";
            return b;
        }
        if (breaker.isOpen()) {
            probeInBackground();
            b.problem = "circuit-open";
            return b;
        }
        List<String> fetch = new ArrayList<>(b.missing.size());
        for (int i : b.missing) fetch.add(keys.get(i));
        try {
            b.reply = store.get(fetch);
        } catch (RuntimeException e) {
            b.reply = CompletableFuture.failedFuture(e);
        }
        return b;
    }

    /** Waits for the reply until the deadline; on failure, fills what the cache still holds (even stale). */
    void finish(Batch b, long now, long deadlineNanos) {
        if (b.missing.isEmpty()) {
            b.source = b.keys.isEmpty() ? "none" : "cache";
            return;
        }
        if (b.problem == null) {
            try {
                byte[][] got = b.reply.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                for (int j = 0; j < got.length; j++) {
                    int i = b.missing.get(j);
                    b.values[i] = got[j];
                    b.known[i] = true;
                    cache.put(b.keys.get(i), got[j], now);
                }
                breaker.onSuccess();
                b.source = "store";
                return;
            } catch (TimeoutException e) {
                b.problem = "timeout";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                b.problem = "interrupted";
            } catch (ExecutionException | RuntimeException e) {
                b.problem = "unavailable";
            }
            breaker.onFailure();
        }
        boolean any = false;
        for (int i : b.missing) {
            byte[] v = cache.stale(b.keys.get(i));
            if (v != null) {
                b.values[i] = v == HotFeatureCache.ABSENT ? null : v;
                b.known[i] = true;
                any = true;
            }
        }
        b.source = any ? "cache" : "none";
    }

    /**
     * One key, from the cache while fresh, else from the store within {@code budgetMillis}.
     *
     * @return the value; null or empty when the store has none
     * @throws StoreFeatureHydrator.StoreUnavailableException when the store fails, misses the budget, or the
     *                                                        breaker is open
     */
    byte[] readOne(String key, long now, long budgetMillis) {
        byte[] cached = cache.fresh(key, now);
        if (cached != null) return cached;
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new StoreFeatureHydrator.StoreUnavailableException("event-loop", null);
        }
        if (breaker.isOpen()) {
            probeInBackground();
            throw new StoreFeatureHydrator.StoreUnavailableException("circuit-open", null);
        }
        try {
            byte[] v = store.get(List.of(key)).get(Math.max(1, budgetMillis), TimeUnit.MILLISECONDS)[0];
            cache.put(key, v, now);
            breaker.onSuccess();
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreFeatureHydrator.StoreUnavailableException("interrupted", e);
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            breaker.onFailure();
            throw new StoreFeatureHydrator.StoreUnavailableException(e instanceof TimeoutException ? "timeout" : "unavailable", e);
        }
    }

    private void probeInBackground() {
        if (!breaker.tryStartProbe()) return;
        try {
            store.ping().orTimeout(Math.max(50, breakerOpenMillis), TimeUnit.MILLISECONDS)
                    .whenComplete((v, t) -> breaker.probeFinished(t == null));
        } catch (RuntimeException e) {
            breaker.probeFinished(false);
        }
    }
}
