package io.ranker.logging;

/**
 * Told about each accepted, logged, non-duplicate feedback event (real-time counters, for instance).
 * Called on the request thread after the event is durable; must be quick and must not throw (a thrown
 * exception is counted and ignored). Any CDI bean implementing it is connected automatically.
 */
public interface FeedbackListener {
    /**
     * @param impression the joined impression when this replica logged it recently, else null
     * @param position   1-based position the item had in that impression, 0 when unknown
     */
    void onFeedback(FeedbackEvent event, RecentImpression impression, int position);
}
