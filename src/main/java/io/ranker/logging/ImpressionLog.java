package io.ranker.logging;

/**
 * Durable, append-only log of served lists and feedback. {@link #append} returns only once the record is
 * written at least to the OS (fsync is batched), so a response that returned is never lost by kill -9.
 * Must never throw into the request path: failures are counted and reported via {@link #healthy()}.
 */
public interface ImpressionLog {
    /** @return true when written, false when the log is failing (the caller names it in degraded) */
    boolean append(ImpressionRecord record);

    boolean healthy();
}
