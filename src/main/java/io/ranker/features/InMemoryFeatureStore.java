package io.ranker.features;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded feature store: the same keys and binary values as Redis, in a concurrent map of this process.
 * The default for the demo and for users without Redis; contents are lost on restart (the demo re-seeds).
 */
public final class InMemoryFeatureStore implements FeatureStore {
    private final FeatureKeys keys;
    private final ConcurrentHashMap<String, byte[]> values = new ConcurrentHashMap<>();

    public InMemoryFeatureStore() {
        this(new FeatureKeys(FeatureKeys.DEFAULT_BUCKETS));
    }

    public InMemoryFeatureStore(FeatureKeys keys) {
        this.keys = keys;
    }

    @Override
    public String kind() { return "memory"; }

    @Override
    public FeatureKeys keys() { return keys; }

    @Override
    public CompletableFuture<byte[][]> get(List<String> keyList) {
        byte[][] out = new byte[keyList.size()][];
        for (int i = 0; i < out.length; i++) out[i] = values.get(keyList.get(i));
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Void> put(Map<String, byte[]> entries) {
        values.putAll(entries);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> addCounts(List<CounterDelta> deltas, long nowMillis, double halfLifeMillis) {
        for (CounterDelta d : deltas) {
            values.compute(keys.counters(d.itemId()), (k, old) -> CounterCodec.encode(
                    CounterCodec.add(CounterCodec.decode(old), nowMillis, halfLifeMillis, d.impressions(), d.clicks())));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> ping() {
        return CompletableFuture.completedFuture(null);
    }

    /** Number of stored keys (features and counters). */
    public int size() {
        return values.size();
    }

    @Override
    public void close() {
    }
}
