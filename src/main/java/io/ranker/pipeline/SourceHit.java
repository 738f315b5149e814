package io.ranker.pipeline;

/** One retrieval source's opinion of a candidate: its raw score and 1-based rank within that source. */
public record SourceHit(String source, double score, int rank) {
}
