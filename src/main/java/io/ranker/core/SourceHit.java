package io.ranker.core;

/**
 * One retrieval source's opinion of a candidate: its raw score and 1-based rank within that source.
 *
 * @param id the item id (null where the hit is already attached to its candidate)
 */
public record SourceHit(String source, double score, int rank, String id) {
    public SourceHit(String source, double score, int rank) {
        this(source, score, rank, null);
    }
}
