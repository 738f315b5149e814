package io.ranker.scoring;

import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scores candidates with shadow models on live traffic and stores the scores in
 * {@link Candidate#setShadowScores} (version -> score) for explain output and the impression log. Shadow
 * scores are never served. A shadow runs only when its expected cost (a moving average of its past
 * per-candidate cost) still fits before the request's shadow deadline, and a failing shadow never fails the
 * request: both are counted ({@link #stats()}).
 */
public final class ShadowScoring {
    private final long deadlineNanos;
    private final Map<String, Double> nanosPerRow = new ConcurrentHashMap<>();
    private final LongAdder scored = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** @param deadlineMillis shadows must finish within this many ms of the request's start */
    public ShadowScoring(long deadlineMillis) {
        this.deadlineNanos = deadlineMillis * 1_000_000L;
    }

    public void score(RankingContext ctx, List<XgboostScorer> shadows, List<Candidate> candidates) {
        if (shadows == null || shadows.isEmpty() || candidates.isEmpty()) return;
        int n = candidates.size();
        double[][] results = new double[shadows.size()][];
        long deadline = (ctx != null ? ctx.startNanos() : System.nanoTime()) + deadlineNanos;
        for (int k = 0; k < shadows.size(); k++) {
            XgboostScorer shadow = shadows.get(k);
            long now = System.nanoTime();
            double expected = nanosPerRow.getOrDefault(shadow.version(), 0.0) * n;
            if (now + expected > deadline) {
                skipped.increment();
                continue;
            }
            try {
                results[k] = shadow.score(ctx, candidates);
                scored.increment();
            } catch (RuntimeException e) {
                failed.increment();
                continue;
            }
            double perRow = (double) (System.nanoTime() - now) / n;
            nanosPerRow.merge(shadow.version(), perRow, (old, x) -> 0.8 * old + 0.2 * x);
        }
        for (int i = 0; i < n; i++) {
            Map<String, Double> m = shadows.size() == 1 ? new HashMap<>(2) : new LinkedHashMap<>();
            for (int k = 0; k < shadows.size(); k++) {
                if (results[k] != null) m.put(shadows.get(k).version(), results[k][i]);
            }
            if (!m.isEmpty()) candidates.get(i).setShadowScores(m);
        }
    }

    public Map<String, Long> stats() {
        return Map.of("scored", scored.sum(), "skippedForBudget", skipped.sum(), "failed", failed.sum());
    }
}
