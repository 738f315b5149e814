package io.ranker.retrieval;

import io.ranker.core.CandidateSource;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a surface's sources within the retrieval budget, merges their hits by item id (each candidate keeps
 * every source's score and rank) and orders candidates by reciprocal rank fusion.
 *
 * <p>Primary sources run concurrently (the first on the calling thread, to save a hand-off); a source that
 * fails or misses the budget is named in {@code degraded} and the others carry on. Fallback sources run
 * only when the primaries found fewer than {@code minCandidates}.
 */
public final class CandidateRetriever {
    /** A source with its configured limit, fusion weight and role. */
    public record ConfiguredSource(CandidateSource source, int limit, double weight, boolean fallback) {
    }

    private final CatalogIndex index;
    private final List<ConfiguredSource> primaries;
    private final List<ConfiguredSource> fallbacks;
    private final int rrfK;
    private final int minCandidates;
    private final long budgetNanos;
    private final ExecutorService executor;

    public CandidateRetriever(CatalogIndex index, List<ConfiguredSource> sources, int rrfK, int minCandidates,
                              int budgetMillis, ExecutorService executor) {
        this.index = index;
        this.primaries = sources.stream().filter(s -> !s.fallback()).toList();
        this.fallbacks = sources.stream().filter(ConfiguredSource::fallback).toList();
        this.rrfK = rrfK;
        this.minCandidates = minCandidates;
        this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        this.executor = executor;
    }

    /** Per-source hit counts of the last call are reported through this listener (metrics). */
    public interface HitListener {
        void hits(String source, int count);
    }

    public List<Candidate> retrieve(RankingContext ctx, HitListener listener) {
        long deadline = System.nanoTime() + budgetNanos;
        Map<String, Candidate> merged = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        runAll(ctx, primaries, deadline, merged, weights, listener);
        if (merged.size() < minCandidates && !fallbacks.isEmpty()) {
            // Fallbacks get their own budget slice: a request that lost its primaries must still answer.
            runAll(ctx, fallbacks, Math.max(deadline, System.nanoTime() + budgetNanos / 2), merged, weights, listener);
        }
        List<Candidate> out = new ArrayList<>(merged.values());
        for (Candidate c : out) {
            double s = 0;
            for (SourceHit h : c.hits().values()) s += weights.getOrDefault(h.source(), 1.0) / (rrfK + h.rank());
            c.setRetrievalScore(s);
            c.setScore(s);
        }
        out.sort((a, b) -> Double.compare(b.retrievalScore(), a.retrievalScore()));
        return out;
    }

    private void runAll(RankingContext ctx, List<ConfiguredSource> configured, long deadline, Map<String, Candidate> merged,
                        Map<String, Double> weights, HitListener listener) {
        List<ConfiguredSource> sources = configured.stream().filter(s -> s.source().appliesTo(ctx)).toList();
        if (sources.isEmpty()) return;
        List<CompletableFuture<List<SourceHit>>> futures = new ArrayList<>(sources.size());
        for (int i = 1; i < sources.size(); i++) {
            ConfiguredSource s = sources.get(i);
            futures.add(CompletableFuture.supplyAsync(() -> call(ctx, s), executor));
        }
        List<List<SourceHit>> results = new ArrayList<>(sources.size());
        results.add(callCatching(ctx, sources.get(0)));
        for (int i = 1; i < sources.size(); i++) {
            CompletableFuture<List<SourceHit>> f = futures.get(i - 1);
            String name = sources.get(i).source().name();
            try {
                results.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                f.cancel(false); // never interrupt Lucene I/O (an interrupt closes shared NIO channels)
                ctx.degrade("retrieval." + name + ":timeout");
                results.add(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ctx.degrade("retrieval." + name + ":interrupted");
                results.add(null);
            } catch (Exception e) {
                ctx.degrade("retrieval." + name + ":error");
                results.add(null);
            }
        }
        for (int i = 0; i < sources.size(); i++) {
            List<SourceHit> hits = results.get(i);
            ConfiguredSource s = sources.get(i);
            if (hits == null) continue;
            weights.put(s.source().name(), s.weight());
            listener.hits(s.source().name(), hits.size());
            for (SourceHit h : hits) {
                Candidate c = merged.get(h.id());
                if (c == null) {
                    Item item = index.item(h.id());
                    if (item == null) continue; // deleted between search and lookup
                    c = new Candidate(h.id(), item);
                    merged.put(h.id(), c);
                }
                c.addHit(h);
            }
        }
    }

    private List<SourceHit> callCatching(RankingContext ctx, ConfiguredSource s) {
        try {
            return call(ctx, s);
        } catch (RuntimeException e) {
            ctx.degrade("retrieval." + s.source().name() + ":error");
            return null;
        }
    }

    private static List<SourceHit> call(RankingContext ctx, ConfiguredSource s) {
        try {
            return s.source().retrieve(ctx, s.limit());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
