package io.ranker.replay;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where replay jobs' status, progress and results are kept so that any replica can answer for them: files under the
 * data directory ({@link FileJobStore}) or the shared store. A job runs on the replica that accepted it; that replica
 * saves its view as it progresses and keeps it alive ({@link #running}); a job whose replica is gone is reported
 * failed by whoever reads it, never stuck.
 */
public interface JobStore {

    /** A stored view and whether the replica running it is alive (always false for a finished job). */
    record Stored(Map<String, Object> view, boolean alive) {
    }

    /** Saves a job's view (status, progress, result or error). */
    void save(String id, Map<String, Object> view);

    Optional<Stored> load(String id);

    /** The most recent jobs' views, newest first (results left out). */
    List<Map<String, Object>> recent(int max);

    /** This replica runs the job ({@code true}) or has finished it: keeps it alive while it runs. */
    void running(String id, boolean running);

    /** Deletes a job's stored view and result; false when there was none. */
    boolean delete(String id);

    /**
     * Deletes results stored longer ago than {@code ttl}, then the oldest beyond {@code maxStored}. The shared store
     * expires them by itself (each is written with the TTL), so it has nothing to do here.
     */
    default void prune(java.time.Duration ttl, int maxStored) {
    }

    /** Whether other replicas read it too. */
    default boolean shared() {
        return false;
    }
}
