package io.ranker.explore;

import io.ranker.core.Candidate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How often each item was shown in a surface's recent impressions: a sliding window of the last
 * {@code window} impressions in ten buckets (the oldest bucket drops out as a new one fills), with running
 * totals, so a lookup is one map read. In memory and per replica: a safety valve, not an accounting system.
 */
public final class ExposureTracker {
    private static final int BUCKETS = 10;

    private final int window;
    private final int bucketSize;
    private final int minImpressions;
    @SuppressWarnings("unchecked")
    private final Map<String, int[]>[] ring = new Map[BUCKETS];
    private final int[] ringImpressions = new int[BUCKETS];
    private final ConcurrentHashMap<String, AtomicInteger> totals = new ConcurrentHashMap<>();
    private final AtomicInteger impressions = new AtomicInteger();
    private int current;

    public ExposureTracker(int window) {
        if (window < BUCKETS) throw new IllegalArgumentException("window < " + BUCKETS);
        this.window = window;
        this.bucketSize = window / BUCKETS;
        this.minImpressions = Math.min(100, window);
        for (int b = 0; b < BUCKETS; b++) ring[b] = new HashMap<>();
    }

    public int window() {
        return window;
    }

    /** Counts one served list. */
    public synchronized void record(List<Candidate> shown) {
        if (ringImpressions[current] >= bucketSize) rotate();
        Map<String, int[]> bucket = ring[current];
        for (Candidate c : shown) {
            bucket.computeIfAbsent(c.id(), k -> new int[1])[0]++;
            totals.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
        }
        ringImpressions[current]++;
        impressions.incrementAndGet();
    }

    private void rotate() {
        current = (current + 1) % BUCKETS;
        for (var e : ring[current].entrySet()) {
            AtomicInteger t = totals.get(e.getKey());
            if (t != null && t.addAndGet(-e.getValue()[0]) <= 0) totals.remove(e.getKey(), t);
        }
        ring[current].clear();
        impressions.addAndGet(-ringImpressions[current]);
        ringImpressions[current] = 0;
    }

    /** Share of the window's impressions that showed this item (0 until the window holds 100 impressions). */
    public double share(String id) {
        int n = impressions.get();
        if (n < minImpressions) return 0;
        AtomicInteger t = totals.get(id);
        return t == null ? 0 : (double) t.get() / n;
    }

    /** The candidates whose share exceeds {@code cap}; an empty set when {@code cap >= 1}. */
    public Set<String> overExposed(List<Candidate> ranked, double cap) {
        if (cap >= 1.0 || impressions.get() < minImpressions) return Set.of();
        Set<String> out = null;
        for (Candidate c : ranked) {
            if (share(c.id()) > cap) {
                if (out == null) out = new HashSet<>();
                out.add(c.id());
            }
        }
        return out == null ? Set.of() : Set.copyOf(out);
    }
}
