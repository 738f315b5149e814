package io.ranker.features;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.concurrent.TimeUnit;

/**
 * A small local cache of store values by key, for hot items. A value younger than {@code ttlMillis} is used
 * without asking the store; an older one (up to {@code staleMillis}) is used only when the store cannot answer
 * in time. Absent values are cached too (as {@link #ABSENT}), so a hot item without features costs no read.
 */
public final class HotFeatureCache {
    static final byte[] ABSENT = new byte[0];

    record Entry(byte[] value, long loadedAtMillis) {
    }

    private final Cache<String, Entry> cache;
    private final long ttlMillis;

    public HotFeatureCache(int maxEntries, long ttlMillis, long staleMillis) {
        this.ttlMillis = ttlMillis;
        this.cache = maxEntries <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(Math.max(ttlMillis, staleMillis), TimeUnit.MILLISECONDS)
                .build();
    }

    public boolean enabled() {
        return cache != null;
    }

    /** A value fresh enough to skip the store; null when there is none (ABSENT when known to be absent). */
    byte[] fresh(String key, long now) {
        if (cache == null) return null;
        Entry e = cache.getIfPresent(key);
        return e != null && now - e.loadedAtMillis() < ttlMillis ? e.value() : null;
    }

    /** Any value still held (the fallback when the store fails). */
    byte[] stale(String key) {
        if (cache == null) return null;
        Entry e = cache.getIfPresent(key);
        return e == null ? null : e.value();
    }

    void put(String key, byte[] value, long now) {
        if (cache != null) cache.put(key, new Entry(value == null ? ABSENT : value, now));
    }

    public long size() {
        return cache == null ? 0 : cache.estimatedSize();
    }
}
