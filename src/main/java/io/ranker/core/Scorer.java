package io.ranker.core;


import java.util.List;

/**
 * Scores candidates for one request. Must return exactly one score per input candidate, in input order
 * (X product-mixer's scorer contract). One batched call per request.
 */
public interface Scorer {
    /** Version (content hash) of the model, stamped on every response and impression. */
    String version();

    double[] score(RankingContext ctx, List<Candidate> candidates) throws Exception;
}
