package io.ranker.state;

import java.util.function.BooleanSupplier;

/**
 * First-start work that must happen once for the whole cluster, not once per replica (the demo model: trained once
 * and shared). With one node it simply runs when not done; with the shared store one replica takes a lock and does
 * it while the others wait, bounded by {@code ranking.state.redis.seed-wait}, until {@code done} holds.
 */
public interface OncePerCluster {
    /**
     * @param done whether the work's result is there (asked again while waiting; it should read the store)
     * @param work the work; runs at most once per cluster at a time, and only while {@code done} is false
     */
    void run(String name, BooleanSupplier done, Runnable work);

    OncePerCluster LOCAL = (name, done, work) -> {
        if (!done.getAsBoolean()) work.run();
    };
}
