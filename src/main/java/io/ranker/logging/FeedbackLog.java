package io.ranker.logging;

/** Where feedback goes: the same durable log as impressions (same framing, same fsync batching). */
public interface FeedbackLog {
    /** @return true once written to the OS; false when the log is failing (never throws) */
    boolean append(FeedbackEvent event);

    /** The impression with this id if this replica logged it recently, else null (it may be another replica's). */
    RecentImpression recentImpression(String impressionId);

    /** Event ids of feedback the log already holds from before this start, to seed the dedupe window. */
    default java.util.List<String> recentEventIds() {
        return java.util.List.of();
    }
}
