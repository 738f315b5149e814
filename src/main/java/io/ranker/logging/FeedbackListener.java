package io.ranker.logging;

/**
 * Told about each accepted, logged, non-duplicate feedback event on an item of an impression that was served (real-time
 * counters, for instance): feedback that {@link FeedbackService} cannot tie to a served impression is logged but never
 * reaches a listener. Called on the request thread after the event is durable; must be quick and must not throw (a
 * thrown exception is counted and ignored). Any CDI bean implementing it is connected automatically.
 */
public interface FeedbackListener {
    /**
     * @param impression the served impression (logged by this replica, or by another one with the shared store)
     * @param position   1-based position the item had in that impression
     */
    void onFeedback(FeedbackEvent event, RecentImpression impression, int position);
}
