package io.ranker.retrieval;

/**
 * Where feed retrieval finds a user's embedding (same space as item vectors). The service reads it from the
 * user's row in the feature store, the row the hydrator reads (see {@code SurfaceFactory}), so a vector written by
 * {@code PUT /v1/features}, {@code features load} or the demo seeder is used by the next request.
 */
@FunctionalInterface
public interface UserVectors {
    /**
     * @param budgetMillis the longest this may wait for the store
     * @return the vector, or null when the user has none (the feed then carries on with its other sources)
     * @throws Exception when the vector cannot be read in time (the source is then named in {@code degraded})
     */
    float[] vectorOf(String userId, long budgetMillis) throws Exception;
}
