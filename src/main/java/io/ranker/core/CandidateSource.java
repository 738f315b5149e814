package io.ranker.core;


import java.util.List;

/**
 * One way of finding candidates (BM25 text, HNSW vector, popularity, caller-supplied ids).
 * Returns hits best first with 1-based ranks; may return fewer than {@code limit}, or none when the request
 * gives it nothing to work with (no query text for BM25). Throwing is allowed: the pipeline treats it as a
 * failed source, names it in {@code degraded} and carries on with the others.
 */
public interface CandidateSource {
    String name();

    List<SourceHit> retrieve(RankingContext ctx, int limit) throws Exception;

    /** Whether the request gives this source anything to work with; sources that do not apply are not run. */
    default boolean appliesTo(RankingContext ctx) {
        return true;
    }
}
