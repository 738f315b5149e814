package io.ranker.features;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where features live: a binary key-value store with the key layout of {@link FeatureKeys}, values encoded by
 * {@link FeatureCodec} (features) and {@link CounterCodec} (real-time counters). Implementations: embedded
 * {@link InMemoryFeatureStore} (the default) and {@link RedisFeatureStore} (standalone or cluster).
 * All methods are asynchronous so the caller can bound the wait by its own latency budget.
 */
public interface FeatureStore extends AutoCloseable {

    /** "memory" or "redis": named in metrics and health. */
    String kind();

    FeatureKeys keys();

    /**
     * Reads all keys in one network round trip (one MGET per hash-slot group, sent together on a cluster).
     *
     * @return values in key order, null where a key has no value
     */
    CompletableFuture<byte[][]> get(List<String> keys);

    /** Writes (replaces) values. */
    CompletableFuture<Void> put(Map<String, byte[]> values);

    /** Adds impressions and clicks to items' decayed counters, atomically per item. */
    CompletableFuture<Void> addCounts(List<CounterDelta> deltas, long nowMillis, double halfLifeMillis);

    /** Completes when the store answers; the circuit breaker's probe. */
    CompletableFuture<Void> ping();

    @Override
    void close();

    /** Counts to add to one item's counters. */
    record CounterDelta(String itemId, double impressions, double clicks) {
    }

    /** Counters expire after this many half-lives (decayed to below 1/65536 of their value). */
    static long counterTtlMillis(double halfLifeMillis) {
        return (long) Math.max(60_000, 16 * halfLifeMillis);
    }
}
