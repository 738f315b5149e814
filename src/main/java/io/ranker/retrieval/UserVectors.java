package io.ranker.retrieval;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user's embedding for feed retrieval (same space as item vectors). In-memory here; the demo seeds it from
 * the demo users' tastes, and {@code PUT /v1/users/{id}/vector} sets it.
 */
public final class UserVectors {
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

    /** @return the vector, or null when the user has none (the feed then falls back to other sources) */
    public float[] vectorOf(String userId) {
        return vectors.get(userId);
    }

    public void put(String userId, float[] vector) {
        vectors.put(userId, vector.clone());
    }

    public int size() {
        return vectors.size();
    }
}
