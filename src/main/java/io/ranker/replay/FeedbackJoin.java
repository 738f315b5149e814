package io.ranker.replay;

import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * First pass of a replay: reads the feedback records into a map keyed by impression id, and counts the
 * impressions in range (the denominator of the progress fraction). Only feedback with a weighted type is kept,
 * and only from {@code from} on (feedback never precedes its impression).
 *
 * <p>Memory bound: one entry per (impression, item, rewarded type) with feedback in the range, about 150 bytes
 * each: 1 million clicks take ~150 MB. Impressions are not kept; the second pass streams them.
 */
final class FeedbackJoin {
    /** Per impression: item id -> bit set of the rewarded types seen (index in {@link #types}). */
    private final Map<String, Map<String, Integer>> byImpression = new HashMap<>();
    private final String[] types;
    private final double[] weights;
    private long events;
    private long undecodable;
    private long impressionsInRange;

    FeedbackJoin(RewardWeights rewards) {
        this.types = rewards.weights().keySet().stream().sorted().toArray(String[]::new);
        this.weights = new double[types.length];
        for (int i = 0; i < types.length; i++) weights[i] = rewards.weight(types[i]);
        if (types.length > 30) throw new IllegalArgumentException("at most 30 rewarded feedback types");
    }

    /**
     * Reads the log locations (every replica, so feedback joins its impression whichever replica logged either; an
     * event logged twice counts once); impressions are counted only in [from, to).
     */
    static FeedbackJoin read(List<Path> dirs, long from, long to, RewardWeights rewards) {
        FeedbackJoin join = new FeedbackJoin(rewards);
        LogReader reader = LogReader.of(dirs).between(from, Long.MAX_VALUE);
        try (Stream<LogEntry> s = reader.stream()) {
            s.forEach(e -> {
                ReplayRun.stopIfInterrupted();
                if (e.isFeedback()) join.add(e);
                else if (e.isImpression() && e.timestamp() < to) join.impressionsInRange++;
            });
        }
        return join;
    }

    private void add(LogEntry e) {
        FeedbackEvent f;
        try {
            f = e.feedback();
        } catch (UncheckedIOException | IllegalArgumentException ex) {
            undecodable++;
            return;
        }
        if (f.impressionId() == null || f.itemId() == null || f.type() == null) {
            undecodable++;
            return;
        }
        int t = java.util.Arrays.binarySearch(types, f.type());
        if (t < 0) return;
        events++;
        byImpression.computeIfAbsent(f.impressionId(), k -> new HashMap<>(4)).merge(f.itemId(), 1 << t, (a, b) -> a | b);
    }

    /** Reward per item of one impression (absent items earned 0). */
    Map<String, Double> rewards(String impressionId) {
        Map<String, Integer> m = byImpression.get(impressionId);
        if (m == null) return Map.of();
        Map<String, Double> out = new HashMap<>(m.size() * 2);
        m.forEach((item, bits) -> {
            double r = 0;
            for (int i = 0; i < types.length; i++) if ((bits & (1 << i)) != 0) r += weights[i];
            out.put(item, r);
        });
        return out;
    }

    long events() { return events; }

    long undecodable() { return undecodable; }

    long impressionsInRange() { return impressionsInRange; }

    int impressionsWithFeedback() { return byImpression.size(); }
}
