package io.ranker.scoring;

import java.util.List;
import java.util.Map;

/**
 * The audit trail of model releases: one entry per upload, promote, rollback, routing change, reload or refusal,
 * with {@code time}, {@code actor}, {@code action}, {@code surface}, {@code version}, {@code previous} and
 * {@code detail}. A file under the data directory ({@link ModelAuditLog}) or a Redis stream shared by every replica.
 */
public interface ModelAudit {
    void record(String actor, String action, String surface, String version, String previous, String detail);

    /** The most recent entries, newest last. */
    List<Map<String, Object>> tail(int max);
}
