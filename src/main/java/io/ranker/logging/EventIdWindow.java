package io.ranker.logging;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The feedback event ids a reader has met recently, to read each event once when it was logged twice (sent to two
 * replicas, or retried where the online dedupe could not see the first). Bounded twice: ids older than
 * {@code horizonMillis} of record time before the newest one are forgotten (the log is read in time order, and a retry
 * comes soon after the first attempt), and at most {@code maxIds} are kept. Ids are kept as 64-bit hashes (about
 * 80 bytes each with the set); two different ids colliding among 500,000 has a probability of about 1e-8.
 */
final class EventIdWindow {
    static final long DEFAULT_HORIZON_MILLIS = 24 * 3_600_000L;
    static final int DEFAULT_MAX_IDS = 500_000;

    private final long horizonMillis;
    private final int maxIds;
    private final Set<Long> present = new HashSet<>();
    // a ring of (hash, time) in arrival order, grown up to maxIds
    private long[] hashes = new long[1024];
    private long[] times = new long[1024];
    private int head;
    private int size;

    EventIdWindow(long horizonMillis, int maxIds) {
        if (maxIds < 1) throw new IllegalArgumentException("maxIds must be >= 1");
        this.horizonMillis = horizonMillis;
        this.maxIds = maxIds;
    }

    /** @return true the first time {@code eventId} is met within the window */
    boolean firstTime(String eventId, long timestamp) {
        while (size > 0 && (size >= maxIds || times[head] < timestamp - horizonMillis)) evictOldest();
        long h = hash(eventId);
        if (!present.add(h)) return false;
        if (size == hashes.length) grow();
        int tail = (head + size) % hashes.length;
        hashes[tail] = h;
        times[tail] = timestamp;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        int n = (int) Math.min(maxIds, hashes.length * 2L);
        long[] h = new long[n];
        long[] t = new long[n];
        for (int i = 0; i < size; i++) {
            h[i] = hashes[(head + i) % hashes.length];
            t[i] = times[(head + i) % times.length];
        }
        hashes = h;
        times = t;
        head = 0;
    }

    private void evictOldest() {
        present.remove(hashes[head]);
        head = (head + 1) % hashes.length;
        size--;
    }

    /** FNV-1a over the UTF-8 bytes, then a 64-bit finaliser (MurmurHash3's fmix64) for an even spread. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
