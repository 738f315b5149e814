package io.ranker.logging;

import java.util.concurrent.CompletableFuture;

/**
 * Feedback's online state shared by every replica (with {@code ranking.state.store=redis}): which event ids were
 * already taken, and which impressions were served by any replica. {@link FeedbackService} consults it after its own
 * replica-local window, so without a shared store ({@link #NONE}) each replica dedupes and joins what it saw itself.
 * Implementations must be quick and bounded in time (a slow or failing store answers "not a duplicate" / "unknown",
 * and says so in its metrics): feedback is never refused because the shared state is unavailable.
 */
public interface FeedbackState {
    /**
     * Claims {@code eventId} for this submission.
     *
     * @return false when another submission (on any replica) claimed it first: a duplicate
     */
    boolean claim(String eventId);

    /** Gives a claim back: the event could not be stored, so a retry must not be taken for a duplicate. */
    void release(String eventId);

    /**
     * Starts looking up an impression that another replica served. The future completes with null when it is unknown
     * (never served, expired, or the store did not answer); callers wait for it at most their budget.
     */
    CompletableFuture<RecentImpression> lookupServed(String impressionId);

    /** No shared state: every replica on its own. */
    FeedbackState NONE = new FeedbackState() {
        @Override
        public boolean claim(String eventId) {
            return true;
        }

        @Override
        public void release(String eventId) {
        }

        @Override
        public CompletableFuture<RecentImpression> lookupServed(String impressionId) {
            return CompletableFuture.completedFuture(null);
        }
    };
}
